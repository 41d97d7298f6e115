// Types for electron-native-plan.mjs (imported by the tests, which are TypeScript).
export declare const NATIVE_ROOT: string;
export declare const BETTER_SQLITE3_BINARY: string;
export declare const ELECTRON_HEADERS_URL: string;
export declare const BETTER_SQLITE3_SOURCES: readonly string[];

export declare function electronNativeDir(appRoot: string, electronVersion: string, platform: string, arch: string): string;

export type NativeBuildPlan =
  | { action: 'fail'; message: string }
  | { action: 'skip'; binary: string; message: string }
  | { action: 'build'; binary: string; outDir: string };

export declare function planElectronNativeBuild(options: {
  appRoot: string;
  electronVersion: string | undefined;
  platform: string;
  arch: string;
  exists: (path: string) => boolean;
  force?: boolean;
}): NativeBuildPlan;

export declare function prebuildInstallArgs(options: { electronVersion: string; platform: string; arch: string }): string[];
export declare function nodeGypArgs(options: { electronVersion: string; arch: string; headersDir?: string | undefined }): string[];
export declare function buildEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
export declare function explainFailure(options: { electronVersion: string; prebuildError: string; gypError: string }): string;
export declare function summarizeToolOutput(output: string): string;
