/** The envelope protocol version this release writes. */
export const PROTOCOL_VERSION = 1;

/** Thrown for an envelope this release cannot read. */
export class UnsupportedProtocolError extends Error {
  readonly version: unknown;
  constructor(version: unknown) {
    super(
      `protocolVersion ${JSON.stringify(version)} is not supported: this release reads versions 1..${PROTOCOL_VERSION}` +
        " (upgrade @vltair/envelopes to read newer envelopes)",
    );
    this.name = "UnsupportedProtocolError";
    this.version = version;
  }
}

/** The envelope's protocol version (absent means 1); throws for unknown or newer versions. */
export function checkProtocolVersion(version: unknown): number {
  if (version === undefined) return 1;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || version > PROTOCOL_VERSION) {
    throw new UnsupportedProtocolError(version);
  }
  return version;
}
