import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { ServiceError, serializationException, unknownOperation } from './errors';
import { FaultInjector, FaultKind, FaultRule, faultAnswer } from './faults';

/** One call the emulator received, as the client saw it answered. */
export interface EmulatorCall {
  /** The operation from `x-amz-target` (without the `SageMaker.` prefix); '' when absent. */
  readonly operation: string;
  /** The parsed JSON body (the raw text when it was not JSON). */
  readonly input: any;
  /** The HTTP status the client received; 0 when the socket was destroyed without an answer. */
  readonly status: number;
  /** `__type` of the error answer, if any. */
  readonly errorType?: string;
  /** The fault that applied to this call, if any. */
  readonly fault?: FaultKind;
  /** The emulator clock when the call arrived. */
  readonly at: Date;
}

/** The operations the server dispatches to. */
export interface OperationHandler {
  hasOperation(operation: string): boolean;
  /** Returns the response body, or throws ServiceError. */
  invoke(operation: string, input: unknown): unknown;
}

interface Outcome {
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function errorOutcome(e: ServiceError): Outcome {
  return { status: e.status, errorType: e.errorType, body: { __type: e.errorType, message: e.message } };
}

/**
 * An AWS JSON 1.1 endpoint on 127.0.0.1: `POST /`, `x-amz-target: <prefix>.<Operation>`,
 * JSON bodies, errors as `{"__type", "message"}`. Applies the injected faults and records calls.
 */
export class AwsJsonServer {
  public readonly calls: EmulatorCall[] = [];
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private requestSeq = 0;
  private closed = false;

  constructor(
    private readonly targetPrefix: string,
    private readonly handler: () => OperationHandler,
    private readonly faults: FaultInjector,
    private readonly now: () => Date,
  ) {
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  /** Listens on a random free port of `host`; returns the port. */
  public async listen(host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening, cancels delayed answers and closes every open (keep-alive) connection. */
  public async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closing;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => req.socket.destroy());
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const at = this.now();
    const target = req.headers['x-amz-target'];
    const prefix = `${this.targetPrefix}.`;
    const operation = typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
    let input: unknown = text;
    let parseError: ServiceError | undefined;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      parseError = serializationException('Request body is not valid JSON.');
    }
    const execute = (): Outcome => {
      if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/' || !operation || !this.handler().hasOperation(operation)) {
        return errorOutcome(unknownOperation(typeof target === 'string' ? target : ''));
      }
      if (parseError) {
        return errorOutcome(parseError);
      }
      try {
        return { status: 200, body: this.handler().invoke(operation, input) };
      } catch (e) {
        if (e instanceof ServiceError) {
          return errorOutcome(e);
        }
        return errorOutcome(new ServiceError('InternalFailure', `Emulator failure: ${(e as Error).message}`, 500));
      }
    };
    const record = (status: number, errorType?: string, fault?: FaultKind): void => {
      this.calls.push({ operation, input, status, errorType, fault, at });
    };

    const fault: FaultRule | undefined = this.faults.take(operation);
    if (!fault) {
      const outcome = execute();
      record(outcome.status, outcome.errorType);
      this.send(res, outcome);
      return;
    }
    switch (fault.kind) {
      case 'reset':
        record(0, undefined, fault.kind);
        req.socket.destroy();
        return;
      case 'commit-then-reset':
        execute();
        record(0, undefined, fault.kind);
        req.socket.destroy();
        return;
      case 'latency': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.closed) {
            return;
          }
          const outcome = execute();
          record(outcome.status, outcome.errorType, fault.kind);
          this.send(res, outcome);
        }, fault.latencyMs ?? 1000);
        this.timers.add(timer);
        return;
      }
      case 'commit-then-server-error': {
        execute();
        const answer = faultAnswer(fault);
        record(answer.status, answer.errorType, fault.kind);
        this.send(res, errorOutcome(new ServiceError(answer.errorType, answer.message, answer.status)));
        return;
      }
      default: {
        const answer = faultAnswer(fault);
        record(answer.status, answer.errorType, fault.kind);
        this.send(res, errorOutcome(new ServiceError(answer.errorType, answer.message, answer.status)));
      }
    }
  }

  private send(res: ServerResponse, outcome: Outcome): void {
    if (res.destroyed || res.writableEnded) {
      return;
    }
    this.requestSeq += 1;
    const payload = JSON.stringify(outcome.body);
    res.writeHead(outcome.status, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': `00000000-0000-4000-8000-${this.requestSeq.toString(16).padStart(12, '0')}`,
    });
    res.end(payload);
  }
}
