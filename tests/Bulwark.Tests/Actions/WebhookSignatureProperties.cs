using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Records.StatementsOfReasons;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Tests.Actions;

public class WebhookSignatureProperties
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The signature equals its plain definition (HMAC-SHA256 over "timestamp\nkey\nattempt\nredelivery\n" + body), computed independently.</summary>
    [Property(MaxTest = 300)]
    public bool Signature_equals_its_plain_definition(NonEmptyString secret, byte[] body, PositiveInt timestamp, NonEmptyString key, PositiveInt attempt, NonNegativeInt redelivery)
    {
        var message = Encoding.UTF8.GetBytes($"{timestamp.Get}\n{key.Get}\n{attempt.Get}\n{redelivery.Get}\n").Concat(body).ToArray();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret.Get));
        var reference = "v2=" + string.Concat(hmac.ComputeHash(message).Select(b => b.ToString("x2")));
        return WebhookSignature.Sign(secret.Get, timestamp.Get, key.Get, attempt.Get, redelivery.Get, body) == reference;
    }

    /// <summary>Every body verifies as signed, and flipping any one bit of it breaks the signature.</summary>
    [Property(MaxTest = 300)]
    public bool Any_changed_byte_is_detected(NonEmptyArray<byte> body, NonNegativeInt position, byte flip)
    {
        const string secret = "property-secret-0123456789abcdef";
        var ts = Clock.GetUtcNow().ToUnixTimeSeconds();
        var bytes = body.Get;
        var signature = WebhookSignature.Sign(secret, ts, "k", 1, 0, bytes);
        var verifier = new WebhookVerifier(secret, clock: Clock);
        var tampered = (byte[])bytes.Clone();
        tampered[position.Get % tampered.Length] ^= (byte)(flip == 0 ? 1 : flip);
        return verifier.Verify(ts.ToString(), "k", "1", null, signature, bytes) == WebhookVerification.Valid
            && verifier.Verify(ts.ToString(), "k", "1", null, signature, tampered) == WebhookVerification.BadSignature;
    }

    /// <summary>A different idempotency key or attempt number always gives a different signature (the headers are signed).</summary>
    [Property(MaxTest = 300)]
    public bool Key_and_attempt_are_signed(NonEmptyString key, NonEmptyString otherKey, PositiveInt attempt, PositiveInt otherAttempt, byte[] body)
    {
        const string secret = "property-secret-0123456789abcdef";
        var ts = Clock.GetUtcNow().ToUnixTimeSeconds();
        var k = key.Get.ReplaceLineEndings(" ");
        var k2 = otherKey.Get.ReplaceLineEndings(" ");
        var original = WebhookSignature.Sign(secret, ts, k, attempt.Get, 0, body);
        return (k == k2 || WebhookSignature.Sign(secret, ts, k2, attempt.Get, 0, body) != original)
            && (attempt.Get == otherAttempt.Get || WebhookSignature.Sign(secret, ts, k, otherAttempt.Get, 0, body) != original);
    }

    /// <summary>The puid rule equals its plain definition: 1–500 ASCII letters, digits, '-' or '_'.</summary>
    [Property(MaxTest = 500)]
    public bool Puid_rule_equals_its_plain_definition(NonNull<string> candidate)
    {
        var puid = candidate.Get;
        var reference = puid.Length is >= 1 and <= 500 && puid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        var errors = SorValidator.Validate(Records.SorFixtures.Valid with { Puid = puid });
        return reference == !errors.Any(e => e.Field == "puid");
    }
}
