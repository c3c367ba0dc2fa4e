/** Casefile's version as written into export manifests; a test keeps it equal to package.json's. */
export const TOOL_VERSION = '0.1.0';
