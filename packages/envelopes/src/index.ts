/**
 * Envelopes exchanged between the orchestrator and agents. This first slice fixes protocol
 * versioning; the JSON Schemas, generated types and validators build on it.
 *
 * @packageDocumentation
 */
export { checkProtocolVersion, PROTOCOL_VERSION, UnsupportedProtocolError } from "./protocol-version.js";
