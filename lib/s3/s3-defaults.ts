/**
 * Defaults that bound a request: 3 attempts of a 5 s connect or 5 s idle timeout (the HTTP handler arms the idle
 * timer 3 s after the request starts), and 20 s in total for all attempts, headers and body, whatever the server
 * trickles — far above what a healthy S3 or MinIO needs for a listing page or a JSON file. Uploads get 4 s more per
 * MiB they send (a floor of 256 KiB/s).
 */
export const S3_DEFAULTS = { maxAttempts: 3, connectTimeoutSeconds: 5, requestTimeoutSeconds: 5, deadlineSeconds: 20, uploadSecondsPerMiB: 4 } as const;
