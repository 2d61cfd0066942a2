using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// The webhook signature (version <c>v2</c>): <c>v2=</c> followed by the lowercase hex HMAC-SHA256, keyed with the
/// subscription secret (its UTF-8 bytes), of the UTF-8 bytes of
/// <c>timestamp "\n" idempotencyKey "\n" attempt "\n" redelivery "\n"</c> followed by the exact body bytes, where each value is
/// its header: <c>Bulwark-Timestamp</c> (Unix seconds), <c>Bulwark-Idempotency-Key</c>, <c>Bulwark-Attempt</c> (1, 2, …) and
/// <c>Bulwark-Redelivery</c> (0 when the header is absent). Header values cannot hold a line break, so the string is
/// unambiguous. Signing the timestamp makes a captured request useless outside the replay window; signing the key, the attempt
/// and the redelivery count means none of the headers a receiver deduplicates on can be altered or dropped.
/// </summary>
public static class WebhookSignature
{
    public const string IdempotencyKeyHeader = "Bulwark-Idempotency-Key";
    public const string TimestampHeader = "Bulwark-Timestamp";
    public const string SignatureHeader = "Bulwark-Signature";
    public const string DeliveryHeader = "Bulwark-Delivery";
    public const string AttemptHeader = "Bulwark-Attempt";
    /// <summary>Present (n ≥ 1) only when this delivery may have reached the receiver before.</summary>
    public const string RedeliveryHeader = "Bulwark-Redelivery";
    public const string Version = "v2";

    public static string Sign(string secret, long timestamp, string idempotencyKey, int attempt, int redelivery, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}\n{idempotencyKey}\n{attempt}\n{redelivery}\n"));
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message))}";
    }
}

public enum WebhookVerification { Valid, MissingHeader, MalformedTimestamp, MalformedAttempt, StaleTimestamp, BadSignature }

/// <summary>
/// For receivers: checks a delivery's signature in constant time and refuses timestamps outside the replay window (both
/// directions, so a clock running ahead cannot pre-sign). Reusable as is; depends only on the BCL.
/// </summary>
public sealed class WebhookVerifier(string secret, TimeSpan? replayWindow = null, TimeProvider? clock = null)
{
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromMinutes(5);
    private readonly TimeSpan _window = replayWindow ?? DefaultReplayWindow;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Checks the headers as received (<paramref name="redeliveryHeader"/> null when absent) against the body bytes.</summary>
    public WebhookVerification Verify(string? timestampHeader, string? idempotencyKeyHeader, string? attemptHeader, string? redeliveryHeader,
        string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(idempotencyKeyHeader)
            || string.IsNullOrEmpty(attemptHeader))
            return WebhookVerification.MissingHeader;
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            return WebhookVerification.MalformedTimestamp;
        if (!int.TryParse(attemptHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt < 1)
            return WebhookVerification.MalformedAttempt;
        var redelivery = 0;
        if (redeliveryHeader is not null && (!int.TryParse(redeliveryHeader, NumberStyles.None, CultureInfo.InvariantCulture, out redelivery) || redelivery < 1))
            return WebhookVerification.MalformedAttempt;
        var age = _clock.GetUtcNow().ToUnixTimeSeconds() - ts;
        if (Math.Abs(age) > (long)_window.TotalSeconds) return WebhookVerification.StaleTimestamp;
        var expected = Encoding.ASCII.GetBytes(WebhookSignature.Sign(secret, ts, idempotencyKeyHeader, attempt, redelivery, body));
        // A header may carry several signatures (during secret rotation): any match is enough.
        foreach (var candidate in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)))
                return WebhookVerification.Valid;
        return WebhookVerification.BadSignature;
    }
}
