using Bulwark.Core.Actions.Webhooks;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Actions;

internal static class WebhookTestExtensions
{
    /// <summary>Verifies a received request as a receiver would: every signed header as it arrived, the redelivery header only if present.</summary>
    public static WebhookVerification Verify(this WebhookVerifier verifier, ReceivedRequest r) => verifier.Verify(
        r.Headers.GetValueOrDefault(WebhookSignature.TimestampHeader), r.Headers.GetValueOrDefault(WebhookSignature.IdempotencyKeyHeader),
        r.Headers.GetValueOrDefault(WebhookSignature.AttemptHeader), r.Headers.GetValueOrDefault(WebhookSignature.RedeliveryHeader),
        r.Headers.GetValueOrDefault(WebhookSignature.SignatureHeader), r.Body);
}
