import * as socket from 'bsdsock';
console.log(Object.keys(socket).length, typeof socket.Socket, socket.AF_INET);
