using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// The webhook signature: <c>v1=</c> followed by the lowercase hex HMAC-SHA256, keyed with the subscription secret (its UTF-8
/// bytes), of <c>timestamp + "." + body</c>, where the timestamp is the <c>Bulwark-Timestamp</c> header (Unix seconds) and body
/// the exact request bytes. Signing the timestamp makes a captured request useless outside the replay window.
/// </summary>
public static class WebhookSignature
{
    public const string IdempotencyKeyHeader = "Bulwark-Idempotency-Key";
    public const string TimestampHeader = "Bulwark-Timestamp";
    public const string SignatureHeader = "Bulwark-Signature";
    public const string DeliveryHeader = "Bulwark-Delivery";
    public const string Version = "v1";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message))}";
    }
}

public enum WebhookVerification { Valid, MissingHeader, MalformedTimestamp, StaleTimestamp, BadSignature }

/// <summary>
/// For receivers: checks a delivery's signature in constant time and refuses timestamps outside the replay window (both
/// directions, so a clock running ahead cannot pre-sign). Reusable as is; depends only on the BCL.
/// </summary>
public sealed class WebhookVerifier(string secret, TimeSpan? replayWindow = null, TimeProvider? clock = null)
{
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromMinutes(5);
    private readonly TimeSpan _window = replayWindow ?? DefaultReplayWindow;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public WebhookVerification Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader)) return WebhookVerification.MissingHeader;
        if (!long.TryParse(timestampHeader, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts))
            return WebhookVerification.MalformedTimestamp;
        var age = _clock.GetUtcNow().ToUnixTimeSeconds() - ts;
        if (Math.Abs(age) > (long)_window.TotalSeconds) return WebhookVerification.StaleTimestamp;
        var expected = Encoding.ASCII.GetBytes(WebhookSignature.Sign(secret, ts, body));
        // A header may carry several signatures (during secret rotation): any match is enough.
        foreach (var candidate in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate)))
                return WebhookVerification.Valid;
        return WebhookVerification.BadSignature;
    }
}
