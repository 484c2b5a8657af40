export function params(): { role: string; p: Record<string, string> };
export function num(p: Record<string, string>, key: string, def?: number): number;
export function now(): number;
export function emit(obj: unknown): void;
export function sleepSync(ms: number): void;
export function sleep(ms: number): Promise<void>;
export function memory(): { rss: number; heap: number; external: number };
export function watchdog(secs: number): void;
export const END_BYTE: number;
