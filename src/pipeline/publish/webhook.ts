// The POST of `notify.webhook`: a JSON body, bounded by a timeout; a failure is a PublishError the caller logs.
import { request } from 'undici';
import { PublishError } from '../../internal/errors.ts';

export async function postWebhook(url: string, body: unknown, timeoutMs: number): Promise<void> {
  const where = new URL(url).origin;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new PublishError(`notify: webhook ${where} answered ${response.statusCode}`, {
        code: `http_${response.statusCode}`,
        where,
        // A 4xx (but 408, 429) is the URL or the receiver's setup at fault: the next run would be refused too.
        retryable: response.statusCode >= 500 || response.statusCode === 408 || response.statusCode === 429,
      });
    }
  } catch (error) {
    if (error instanceof PublishError) throw error;
    const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
    throw new PublishError(
      timedOut
        ? `notify: webhook ${where} did not answer within ${timeoutMs} ms`
        : `notify: webhook ${where} failed: ${(error as Error).message}`,
      { code: timedOut ? 'timeout' : 'network', where, retryable: true, cause: error },
    );
  }
}
