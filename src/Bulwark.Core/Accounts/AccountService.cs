using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Accounts;

/// <summary>Account profiles sent by the platform. Every change is audited with a summary of what changed.</summary>
public sealed class AccountService(IBulwarkDbFactory dbs, ContentEventValidator validator, AuditLog audit, TimeProvider clock)
{
    public sealed record UpsertResult(bool Created, bool Changed, IReadOnlyList<FieldError> Errors);

    public async Task<UpsertResult> UpsertAsync(AccountProfile p, string actor, CancellationToken ct)
    {
        var errors = validator.Validate(p);
        if (errors.Count > 0) return new(false, false, errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Accounts.FirstOrDefaultAsync(a => a.Id == p.Id, ct);
        var now = clock.GetUtcNow();
        var created = row is null;
        var before = row is null ? null : Summary(row);
        row ??= db.Accounts.Add(new AccountRow { Id = p.Id!, CreatedAt = now }).Entity;
        row.Handle = p.Handle;
        row.DisplayName = p.DisplayName;
        row.Bio = p.Bio;
        row.LinksJson = JsonSerializer.Serialize(p.Links ?? [], IngestJson.Default.ListString);
        row.Country = p.Country;
        // Links are recorded whether or not the profile changed; the audit entry only counts new ones, never shows a hash.
        var newLinks = p.LinkedIdentifiers is { Count: > 0 } ids ? await AccountLinks.RecordAsync(db, [(row.Id, ids)], now, ct) : 0;
        var after = Summary(row);
        if (!created && before == after)
        {
            if (newLinks > 0)
                await audit.AppendAsync(db, [new AuditRecord(actor, "account.updated", $"account:{row.Id}", null, $"linkedIdentifiers+={newLinks}")], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new(false, newLinks > 0, []);
        }
        row.UpdatedAt = now;
        await audit.AppendAsync(db, [new AuditRecord(actor, created ? "account.created" : "account.updated", $"account:{row.Id}", before, newLinks > 0 ? $"{after}; linkedIdentifiers+={newLinks}" : after)], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new(created, true, []);
    }

    public async Task<AccountRow?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
    }

    // A short, bounded summary for the audit log; the full profile stays in the accounts table.
    private static string Summary(AccountRow r) =>
        $"handle={r.Handle}; displayName={r.DisplayName}; country={r.Country}; bio={Clip(r.Bio)}; links={r.LinksJson}";

    private static string? Clip(string? s) => s is null || s.Length <= 200 ? s : s[..200] + "…";
}
