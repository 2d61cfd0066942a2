using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Mail;
using System.Text.Json;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>One attempt's outcome: delivered with the authority's receipt, or an error saying what went wrong (retried).</summary>
public sealed record ReferralAttempt(bool Delivered, int? StatusCode, string? Receipt, string? Error);

public sealed record ReferralRound(int Claimed, int Delivered, int Retrying, int Failed);

/// <summary>
/// Delivers sent referrals: claim (a lease, so two workers never send the same referral at once and a crashed worker's attempt
/// is repeated when the lease runs out), send the package (signed HTTPS POST, or e-mail through SMTP), record the attempt in the
/// delivery log, and then delivered, retried with exponential backoff and jitter, or failed after
/// <see cref="ReferralOptions.MaxAttempts"/>. Every attempt carries the referral's reference as its idempotency key, so a
/// recipient that received a repeated attempt (a lost answer, a crash) recognises it.
/// </summary>
public sealed class ReferralDelivery(
    IBulwarkDbFactory dbs, IHttpClientFactory httpFactory, IMediaStore media, ReferralOptions options, AuditLog audit, TimeProvider clock, Random random,
    ILogger<ReferralDelivery> log)
{
    public const string HttpClientName = "bulwark-referrals";
    public const string ManifestSignatureHeader = "Bulwark-Manifest-Signature";
    public const string KeyIdHeader = "Bulwark-Key-Id";
    private readonly Backoff _backoff = new(new PipelineOptions
    {
        BackoffBaseMilliseconds = options.BackoffBaseSeconds * 1000, BackoffMaxMilliseconds = options.BackoffMaxSeconds * 1000,
    }, random);

    public async Task<ReferralRound> RunOnceAsync(string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<long> due;
        await using (var db = dbs.Create())
            due = await db.Set<ReferralRow>().AsNoTracking()
                .Where(r => r.Status == ReferralStatus.Sending && r.NextAttemptAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now))
                .OrderBy(r => r.NextAttemptAt).Select(r => r.Id).Take(20).ToListAsync(ct);
        int delivered = 0, retrying = 0, failed = 0, claimed = 0;
        foreach (var id in due)
        {
            var row = await ClaimAsync(id, owner, ct);
            if (row is null) continue; // another worker took it, or a person recorded a delivery meanwhile
            claimed++;
            var attempt = await SendAsync(row, ct);
            switch (await RecordAsync(row, owner, attempt, ct))
            {
                case ReferralStatus.Delivered: delivered++; break;
                case ReferralStatus.Failed: failed++; break;
                default: retrying++; break;
            }
        }
        return new ReferralRound(claimed, delivered, retrying, failed);
    }

    private async Task<ReferralRow?> ClaimAsync(long id, string owner, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var until = now.AddSeconds(options.LeaseSeconds);
        var n = await db.Set<ReferralRow>()
            .Where(r => r.Id == id && r.Status == ReferralStatus.Sending && r.NextAttemptAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now))
            .ExecuteUpdateAsync(x => x.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseUntil, until).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
        if (n == 0) return null;
        var row = await db.Set<ReferralRow>().AsNoTracking().FirstAsync(r => r.Id == id, ct);
        await tx.CommitAsync(ct);
        return row;
    }

    public async Task<ReferralAttempt> SendAsync(ReferralRow r, CancellationToken ct)
    {
        byte[] package;
        try
        {
            using var ms = new MemoryStream();
            await ReferralPackage.WriteAsync(ms, r, media, ct);
            package = ms.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return new ReferralAttempt(false, null, null, $"the package could not be assembled: {ex.Message}");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            return r.RecipientChannel switch
            {
                ReferralChannels.Https => await PostAsync(r, package, timeout.Token),
                ReferralChannels.Smtp => await MailAsync(r, package, timeout.Token),
                _ => new ReferralAttempt(false, null, null, $"channel '{r.RecipientChannel}' is not delivered automatically"),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ReferralAttempt(false, null, null, $"no answer within {options.TimeoutSeconds} s");
        }
    }

    private async Task<ReferralAttempt> PostAsync(ReferralRow r, byte[] package, CancellationToken ct)
    {
        var http = httpFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, r.RecipientAddress) { Content = new ByteArrayContent(package) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var ts = clock.GetUtcNow().ToUnixTimeSeconds();
        var inv = CultureInfo.InvariantCulture;
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdempotencyKeyHeader, r.Reference);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, ts.ToString(inv));
        request.Headers.TryAddWithoutValidation(WebhookSignature.AttemptHeader, r.Attempts.ToString(inv));
        request.Headers.TryAddWithoutValidation(ManifestSignatureHeader, r.Signature);
        request.Headers.TryAddWithoutValidation(KeyIdHeader, r.KeyId);
        // With a shared secret the request itself is signed too, exactly as webhooks are (the webhook verifier checks it).
        if (SecretOf(r) is { } secret)
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, ts, r.Reference, Math.Max(1, r.Attempts), 0, package));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var code = (int)response.StatusCode;
            if (code is < 200 or >= 300) return new ReferralAttempt(false, code, null, $"the endpoint answered HTTP {code}");
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return ReceiptOf(body) is { } receipt
                ? new ReferralAttempt(true, code, receipt, null)
                : new ReferralAttempt(false, code, null, $"the endpoint answered HTTP {code} without a receipt (expected JSON {{\"receipt\": \"…\"}}, got {Describe(body)}); the package may not have been taken in, so it is sent again with the same idempotency key");
        }
        catch (HttpRequestException ex)
        {
            return new ReferralAttempt(false, null, null, $"request failed: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (Ingest.ForbiddenAddressException ex)
        {
            return new ReferralAttempt(false, null, null, ex.Message);
        }
    }

    /// <summary>The endpoint's acknowledgement: a JSON object with a non-empty string <c>receipt</c>. Anything else is not one.</summary>
    public static string? ReceiptOf(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("receipt", out var r) && r.ValueKind == JsonValueKind.String
                   && r.GetString() is { Length: > 0 and <= 500 } s ? s : null;
        }
        catch (JsonException) { return null; }
    }

    private static string Describe(byte[] body) =>
        body.Length == 0 ? "an empty body" : $"{body.Length} byte(s) starting \"{new string(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(40, body.Length)).Select(ch => char.IsControl(ch) ? '?' : ch).ToArray())}\"";

    private async Task<ReferralAttempt> MailAsync(ReferralRow r, byte[] package, CancellationToken ct)
    {
        var smtp = options.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host)) return new ReferralAttempt(false, null, null, $"no SMTP relay is configured ({ReferralOptions.Section}:Smtp:Host)");
        using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network, Timeout = options.TimeoutSeconds * 1000 };
        if (!string.IsNullOrEmpty(smtp.UserName)) client.Credentials = new System.Net.NetworkCredential(smtp.UserName, smtp.Password);
        using var message = new MailMessage(smtp.From, r.RecipientAddress!)
        {
            Subject = $"[{r.Urgency?.ToUpperInvariant()}] DSA Art. 18 referral {r.Reference}",
            Body = $"Referral {r.Reference} under Regulation (EU) 2022/2065 Art. 18 from {options.ServiceName}.\n\n"
                   + $"The attached package holds the signed manifest (manifest.json, Ed25519 signature in manifest.sig.json, key id {r.KeyId}), a summary page and copies of the media.\n"
                   + $"Manifest SHA-256: {r.ManifestSha256}\n\nAssessment:\n{r.Assessment}\n",
        };
        message.Headers.Add("X-Bulwark-Reference", r.Reference);
        message.Attachments.Add(new Attachment(new MemoryStream(package), r.Reference + ".zip", "application/zip"));
        try
        {
            await client.SendMailAsync(message, ct);
            return new ReferralAttempt(true, null, $"accepted by the SMTP relay {smtp.Host}", null);
        }
        catch (SmtpException ex)
        {
            return new ReferralAttempt(false, (int)ex.StatusCode, null, $"SMTP: {ex.Message}{(ex.InnerException is null ? "" : " " + ex.InnerException.Message)}");
        }
        catch (InvalidOperationException ex)
        {
            return new ReferralAttempt(false, null, null, $"SMTP: {ex.Message}");
        }
    }

    /// <summary>Records an attempt; returns the referral's status after it.</summary>
    public async Task<string> RecordAsync(ReferralRow claimed, string owner, ReferralAttempt a, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var row = await db.Set<ReferralRow>().FirstAsync(r => r.Id == claimed.Id, ct);
        db.Add(new ReferralEventRow
        {
            ReferralId = row.Id, Kind = ReferralEventKind.Attempt, At = now, By = "referral-delivery", Channel = row.RecipientChannel, Attempt = claimed.Attempts,
            StatusCode = a.StatusCode, Detail = a.Delivered ? $"receipt {a.Receipt}" : a.Error,
        });
        // A person recorded a phone delivery (or the lease ran out and another worker took over) while this attempt ran:
        // the attempt stays in the log, the state is theirs.
        if (row.Status != ReferralStatus.Sending || row.LeaseOwner != owner)
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return row.Status;
        }
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        var records = new List<AuditRecord>();
        if (a.Delivered)
        {
            row.Status = ReferralStatus.Delivered;
            row.DeliveredAt = now;
            row.Receipt = a.Receipt;
            row.NextAttemptAt = null;
            row.LastError = null;
            db.Add(new ReferralEventRow { ReferralId = row.Id, Kind = ReferralEventKind.Delivered, At = now, By = "referral-delivery", Channel = row.RecipientChannel, Attempt = claimed.Attempts, Detail = a.Receipt });
            records.Add(new AuditRecord("referral-delivery", "referral.delivered", ReferralService.Subject(row), Before: ReferralStatus.Sending,
                After: $"{ReferralStatus.Delivered} by {row.RecipientChannel} to {row.RecipientName} at attempt {claimed.Attempts}; receipt {a.Receipt}"));
        }
        else if (claimed.Attempts >= options.MaxAttempts)
        {
            row.Status = ReferralStatus.Failed;
            row.NextAttemptAt = null;
            row.LastError = a.Error;
            db.Add(new ReferralEventRow { ReferralId = row.Id, Kind = ReferralEventKind.Failed, At = now, By = "referral-delivery", Channel = row.RecipientChannel, Attempt = claimed.Attempts, Detail = a.Error });
            records.Add(new AuditRecord("referral-delivery", "referral.delivery_failed", ReferralService.Subject(row), Before: ReferralStatus.Sending,
                After: $"{ReferralStatus.Failed} after {claimed.Attempts} attempt(s); send again or record a phone delivery", Reason: a.Error));
            log.LogWarning("Referral {Reference} could not be delivered after {Attempts} attempts: {Error}", row.Reference, claimed.Attempts, a.Error);
        }
        else
        {
            row.LastError = a.Error;
            row.NextAttemptAt = now + _backoff.Delay(claimed.Attempts);
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return row.Status;
    }

    private string? SecretOf(ReferralRow r) =>
        options.Recipients.FirstOrDefault(x => x.Name == r.RecipientName && x.MemberState == r.RecipientMemberState && x.Address == r.RecipientAddress)?.Secret is { Length: > 0 } s ? s : null;
}
