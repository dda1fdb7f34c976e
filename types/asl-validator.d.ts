/**
 * Types for `asl-validator` 4.x, which ships none. Note: the validator mutates its input
 * (it adds `QueryLanguage` to every state), so pass it a `structuredClone`.
 */
declare module 'asl-validator' {
  export interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
    readonly [key: string]: unknown;
  }

  export interface AslValidatorOptions {
    /** Check JSONPath syntax in paths. @default true */
    readonly checkPaths?: boolean;
    /** Check that `Resource` fields are ARNs. @default true */
    readonly checkArn?: boolean;
  }

  export interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }

  export default function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): AslValidationResult;
}
