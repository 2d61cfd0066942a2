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

    /// <summary>The signature equals its plain definition (HMAC-SHA256 over "timestamp.body"), computed independently.</summary>
    [Property(MaxTest = 300)]
    public bool Signature_equals_its_plain_definition(NonEmptyString secret, byte[] body, PositiveInt timestamp)
    {
        var message = Encoding.ASCII.GetBytes($"{timestamp.Get}.").Concat(body).ToArray();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret.Get));
        var reference = "v1=" + string.Concat(hmac.ComputeHash(message).Select(b => b.ToString("x2")));
        return WebhookSignature.Sign(secret.Get, timestamp.Get, body) == reference;
    }

    /// <summary>Every body verifies as signed, and flipping any one bit of it breaks the signature.</summary>
    [Property(MaxTest = 300)]
    public bool Any_changed_byte_is_detected(NonEmptyArray<byte> body, NonNegativeInt position, byte flip)
    {
        const string secret = "property-secret-0123456789abcdef";
        var ts = Clock.GetUtcNow().ToUnixTimeSeconds();
        var bytes = body.Get;
        var signature = WebhookSignature.Sign(secret, ts, bytes);
        var verifier = new WebhookVerifier(secret, clock: Clock);
        var tampered = (byte[])bytes.Clone();
        tampered[position.Get % tampered.Length] ^= (byte)(flip == 0 ? 1 : flip);
        return verifier.Verify(ts.ToString(), signature, bytes) == WebhookVerification.Valid
            && verifier.Verify(ts.ToString(), signature, tampered) == WebhookVerification.BadSignature;
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
