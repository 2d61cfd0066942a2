using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Webhooks;

public sealed record WebhookView(long Id, string Name, string Url, IReadOnlyList<string> Kinds, bool Enabled, long Cursor, DateTimeOffset CreatedAt);

/// <summary>A new subscription; <see cref="Secret"/> is shown here once and never again.</summary>
public sealed record WebhookCreated(WebhookView Webhook, string Secret);

public sealed record NewWebhook(string? Name, string? Url, string? Secret = null, IReadOnlyList<string>? Kinds = null, bool Enabled = true, bool IncludeHistory = false);

public sealed record WebhookPatch(string? Url = null, IReadOnlyList<string>? Kinds = null, bool? Enabled = null);

/// <summary>A dead-lettered delivery: <see cref="Attempts"/> counts every attempt, earlier rounds included; <see cref="Retries"/> how often it was re-sent.</summary>
public sealed record DeadDelivery(long Id, long SubscriptionId, string Subscription, long ActionId, string Kind, string IdempotencyKey, int Attempts,
    int? LastStatusCode, string? LastError, DateTimeOffset? DeadAt, int Retries = 0);

/// <summary>Refused input, one message per field; nothing was changed.</summary>
public sealed class WebhookValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>Subscriptions (create, change, delete; audited) and the dead letters of their deliveries.</summary>
public sealed partial class WebhookService(IBulwarkDbFactory dbs, AuditLog audit, WebhookAddressGuard guard, IDataProtectionProvider protection, TimeProvider clock)
{
    public const int MinSecretLength = 24;
    private readonly IDataProtector _protector = protection.CreateProtector("Bulwark.Webhooks.Secret.v1");

    public async Task<WebhookCreated> CreateAsync(NewWebhook input, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100 || !NamePattern().IsMatch(input.Name))
            errors.Add(new("name", "is required: 1–100 letters, digits, '.', '_' or '-'"));
        CheckUrl(input.Url, errors);
        var kinds = CheckKinds(input.Kinds, errors);
        if (input.Secret is { } s && (s.Length < MinSecretLength || s.Length > 200 || s.Any(char.IsWhiteSpace)))
            errors.Add(new("secret", $"must be {MinSecretLength}–200 characters without spaces (omit it to have one generated)"));
        if (errors.Count > 0) throw new WebhookValidationException(errors);

        var secret = input.Secret ?? "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (await db.Set<WebhookSubscriptionRow>().AnyAsync(w => w.Name == input.Name, ct))
            throw new InvalidOperationException($"A webhook named '{input.Name}' already exists.");
        var row = new WebhookSubscriptionRow
        {
            Name = input.Name!, Url = input.Url!, SecretProtected = _protector.Protect(secret), Kinds = string.Join(',', kinds),
            Enabled = input.Enabled, CreatedAt = clock.GetUtcNow(),
            // Without history the subscription starts after the newest action that exists now.
            Cursor = input.IncludeHistory ? 0 : await db.Set<ActionRow>().MaxAsync(a => (long?)a.Id, ct) ?? 0,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "webhook.created", $"webhook:{row.Id}",
            After: $"name={row.Name}; url={row.Url}; kinds={row.Kinds}; enabled={row.Enabled}; history={input.IncludeHistory}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new WebhookCreated(View(row), secret);
    }

    public async Task<IReadOnlyList<WebhookView>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return (await db.Set<WebhookSubscriptionRow>().AsNoTracking().OrderBy(w => w.Id).ToListAsync(ct)).Select(View).ToList();
    }

    public async Task<WebhookView> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return View(await db.Set<WebhookSubscriptionRow>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw NotFound(id));
    }

    public async Task<WebhookView> UpdateAsync(long id, WebhookPatch patch, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (patch.Url is not null) CheckUrl(patch.Url, errors);
        var kinds = patch.Kinds is null ? null : CheckKinds(patch.Kinds, errors);
        if (errors.Count > 0) throw new WebhookValidationException(errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<WebhookSubscriptionRow>().FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw NotFound(id);
        var before = $"url={row.Url}; kinds={row.Kinds}; enabled={row.Enabled}";
        if (patch.Url is not null) row.Url = patch.Url;
        if (kinds is not null) row.Kinds = string.Join(',', kinds);
        if (patch.Enabled is { } enabled) row.Enabled = enabled;
        await audit.AppendAsync(db, [new AuditRecord(actor, "webhook.updated", $"webhook:{row.Id}", Before: before,
            After: $"url={row.Url}; kinds={row.Kinds}; enabled={row.Enabled}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return View(row);
    }

    /// <summary>Deletes a subscription and its deliveries (pending ones are no longer sent). False when there is no such subscription.</summary>
    public async Task<bool> DeleteAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<WebhookSubscriptionRow>().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (row is null) return false;
        await db.Set<WebhookDeliveryRow>().Where(d => d.SubscriptionId == id).ExecuteDeleteAsync(ct);
        db.Remove(row);
        await audit.AppendAsync(db, [new AuditRecord(actor, "webhook.deleted", $"webhook:{row.Id}", Before: $"name={row.Name}; url={row.Url}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<DeadDelivery>> ListDeadAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await (from d in db.Set<WebhookDeliveryRow>().AsNoTracking()
                      join s in db.Set<WebhookSubscriptionRow>() on d.SubscriptionId equals s.Id
                      join a in db.Set<ActionRow>() on d.ActionId equals a.Id
                      where d.Status == DeliveryStatus.Dead && d.Id > afterId
                      orderby d.Id
                      select new DeadDelivery(d.Id, s.Id, s.Name, a.Id, a.Kind, a.IdempotencyKey, d.Attempts, d.LastStatusCode, d.LastError, d.DeadAt, d.Retries))
            .Take(limit).ToListAsync(ct);
    }

    /// <summary>
    /// Puts dead deliveries (the given ids, or all when null) back to pending for a new round of
    /// <see cref="WebhookOptions.MaxAttempts"/> attempts; the attempt count and the number of re-sends are kept. Returns how many.
    /// </summary>
    public async Task<int> RetryDeadAsync(IReadOnlyCollection<long>? ids, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var query = db.Set<WebhookDeliveryRow>().Where(d => d.Status == DeliveryStatus.Dead);
        if (ids is not null) query = query.Where(d => ids.Contains(d.Id));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var count = await query.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.RoundStartedAt, d => d.Attempts).SetProperty(d => d.Retries, d => d.Retries + 1)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.DeadAt, (DateTimeOffset?)null).SetProperty(d => d.LeaseOwner, (string?)null).SetProperty(d => d.LeaseUntil, (long?)null), ct);
        if (count > 0)
            await audit.AppendAsync(db, [new AuditRecord(actor, "webhook.deadletters.retried", "webhooks:dead-letters",
                After: ids is null ? $"{count} delivery(ies), all" : $"{count} delivery(ies): {string.Join(',', ids.Order())}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    internal string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    private void CheckUrl(string? url, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(url)) errors.Add(new("url", "is required"));
        else if (url.Length > 2000) errors.Add(new("url", "must be at most 2000 characters"));
        else if (guard.Guard.CheckUrl(url) is { } why) errors.Add(new("url", why + (why.Contains("forbidden") || why.Contains("local") ? " (internal receivers must be listed in Bulwark:Webhooks:AllowedInternal)" : "")));
    }

    private static List<string> CheckKinds(IReadOnlyList<string>? kinds, List<FieldError> errors)
    {
        var result = new List<string>();
        for (var i = 0; i < (kinds?.Count ?? 0); i++)
        {
            var k = kinds![i]?.Trim() ?? "";
            if (!KindPattern().IsMatch(k)) errors.Add(new($"kinds[{i}]", $"'{k}' is not an action kind (e.g. content.remove) or prefix (e.g. account.*)"));
            else if (!result.Contains(k)) result.Add(k);
        }
        return result;
    }

    internal static bool Matches(string kinds, string kind)
    {
        if (kinds.Length == 0) return true;
        foreach (var k in kinds.Split(','))
            if (k == kind || (k.EndsWith(".*", StringComparison.Ordinal) && kind.StartsWith(k[..^1], StringComparison.Ordinal))) return true;
        return false;
    }

    private static WebhookView View(WebhookSubscriptionRow r) =>
        new(r.Id, r.Name, r.Url, r.Kinds.Length == 0 ? [] : r.Kinds.Split(','), r.Enabled, r.Cursor, r.CreatedAt);

    private static KeyNotFoundException NotFound(long id) => new($"No webhook with id {id}.");

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*\.([a-z][a-z0-9_]*|\*)$")]
    private static partial Regex KindPattern();
}

/// <summary>The SSRF guard for webhook receivers, with its own allow-list (<see cref="WebhookOptions.AllowedInternal"/>).</summary>
public sealed record WebhookAddressGuard(AddressGuard Guard);
