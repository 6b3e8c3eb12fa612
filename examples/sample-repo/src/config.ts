/** Settings read from a `key = value` configuration file. */
export interface Config {
  port: number;
  host: string;
  debug: boolean;
}

/** Parses `key = value` lines; `#` starts a comment. Unknown keys are rejected. */
export function parseConfig(text: string): Config {
  const config: Config = { port: 8080, host: "localhost", debug: false };
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`line ${index + 1}: expected key = value`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "port") config.port = Number.parseInt(value, 10);
    else if (key === "host") config.host = value;
    else if (key === "debug") config.debug = value === "true";
    else throw new Error(`line ${index + 1}: unknown key '${key}'`);
  }
  return config;
}
