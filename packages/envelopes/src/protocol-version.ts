import { EnvelopeValidationError } from "./validation-error.js";

/** The envelope protocol version this release writes (an absent `protocolVersion` means 1). */
export const PROTOCOL_VERSION = 1;

/** The protocol versions this release reads. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/**
 * Rejects an envelope whose `protocolVersion` is an integer this release does not read, before schema
 * validation, so a newer envelope gets "protocolVersion 2 is not supported (supported: 1)" rather than
 * schema noise. Other malformed values (strings, fractions) are left to the schema.
 */
export function checkProtocolVersion(subject: string, envelope: unknown): void {
  if (typeof envelope !== "object" || envelope === null) return;
  const version: unknown = (envelope as { protocolVersion?: unknown }).protocolVersion;
  if (typeof version === "number" && Number.isInteger(version) && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new EnvelopeValidationError(subject, [
      {
        pointer: "/protocolVersion",
        message: `protocolVersion ${version} is not supported (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`,
      },
    ]);
  }
}
