// A real OpenAI-compatible HTTP server on 127.0.0.1 whose answers the test scripts per request.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Exchange {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export type Responder = (req: Exchange, index: number) => { status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number };

export async function startChatServer(respond: Responder): Promise<{ baseUrl: string; requests: Exchange[]; close(): Promise<void> }> {
  const requests: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const exchange: Exchange = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown> };
      requests.push(exchange);
      const answer = respond(exchange, requests.length - 1);
      const send = () => {
        res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
        res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
      };
      if (answer.delayMs !== undefined) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function completion(content: string, usage?: { prompt_tokens: number; completion_tokens: number }, model = "test-model"): unknown {
  return { id: "c1", object: "chat.completion", model, choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], ...(usage === undefined ? {} : { usage }) };
}
