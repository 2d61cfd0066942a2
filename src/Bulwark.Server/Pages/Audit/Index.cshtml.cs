using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Bulwark.Server.ConsoleUi;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Pages.Audit;

/// <summary>The audit log, newest first, read-only (auditors and administrators), with the chain check of <see cref="AuditVerifier"/>.</summary>
public sealed class AuditModel(IBulwarkDbFactory dbs, AuditVerifier verifier) : ConsolePageModel
{
    public const int PageSize = 100;
    public IReadOnlyList<AuditEntryRow> Entries { get; private set; } = [];
    public AuditVerification? Verification { get; private set; }
    public string? ActorFilter { get; private set; }
    public string? ActionFilter { get; private set; }
    public long? Older { get; private set; }

    public async Task OnGetAsync(long? before, string? actor, string? action, bool verify, CancellationToken ct)
    {
        ActorFilter = string.IsNullOrWhiteSpace(actor) ? null : actor.Trim();
        ActionFilter = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        await using var db = dbs.Create();
        var q = db.AuditEntries.AsNoTracking();
        if (before is { } b) q = q.Where(e => e.Seq < b);
        if (ActorFilter is { } a) q = q.Where(e => e.Actor == a);
        if (ActionFilter is { } x) q = q.Where(e => e.Action.StartsWith(x));
        Entries = await q.OrderByDescending(e => e.Seq).Take(PageSize).ToListAsync(ct);
        Older = Entries.Count == PageSize ? Entries[^1].Seq : null;
        if (verify) Verification = await verifier.VerifyAsync(ct);
    }
}
