export declare const PACKAGE_ROOT: string;
export declare function buildBundle(entries: Record<string, string>, outDir: string): Promise<void>;
export declare function packageBundle(name: string): Promise<string | null>;
