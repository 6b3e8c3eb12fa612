/** Path of schemas/. */
export declare const schemasDir: string;
/** Path of src/generated/. */
export declare const generatedDir: string;
/** Every generated file's content, keyed by its path relative to the package directory. */
export declare function generateFiles(dir?: string): Promise<Record<string, string>>;
