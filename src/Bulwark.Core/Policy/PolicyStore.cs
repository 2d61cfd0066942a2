using System.Text.Json;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Policy;

/// <summary>A stored catalogue version; the newest is in force.</summary>
public sealed class PolicyCatalogueRow
{
    public long Id { get; set; }
    public required string Version { get; set; }
    public required string Json { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A stored rule set activation (every file's text); the newest is active.</summary>
public sealed class RuleSetRow
{
    public long Id { get; set; }
    public required string Hash { get; set; }
    public required string FilesJson { get; set; }
    public required string CatalogueVersion { get; set; }
    public required string ActivatedBy { get; set; }
    public DateTimeOffset ActivatedAt { get; set; }
}

internal sealed class PolicyCatalogueRowConfiguration : IEntityTypeConfiguration<PolicyCatalogueRow>
{
    public void Configure(EntityTypeBuilder<PolicyCatalogueRow> e)
    {
        e.ToTable("policy_catalogue_versions");
        e.Property(x => x.Version).HasMaxLength(64);
    }
}

internal sealed class RuleSetRowConfiguration : IEntityTypeConfiguration<RuleSetRow>
{
    public void Configure(EntityTypeBuilder<RuleSetRow> e)
    {
        e.ToTable("rule_set_versions");
        e.Property(x => x.Hash).HasMaxLength(64);
        e.Property(x => x.CatalogueVersion).HasMaxLength(64);
    }
}

public sealed record RuleSetInfo(string Hash, int Rules, int Enforce, int Shadow, int Disabled, string CatalogueVersion, string? ActivatedBy, DateTimeOffset? ActivatedAt);

/// <summary>The result of a change: applied, or refused with every error (nothing is changed when there is one).</summary>
public sealed record PolicyChange(bool Applied, IReadOnlyList<string> Errors, string? Before = null, string? After = null);

/// <summary>
/// The catalogue and rule set in force. Both are stored versions (the shipped ones until the first change); a change is
/// validated in full (a catalogue change must keep the active rules compiling, a rule set must compile against the
/// catalogue) and audited, or refused. Other processes' activations are picked up within <see cref="RefreshInterval"/>.
/// </summary>
public sealed class PolicyStore(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions FilesJson = new(JsonSerializerDefaults.Web);

    private sealed record State(PolicyCatalogue Catalogue, RuleSet Rules, RuleSetInfo Info, long CatalogueRowId, long RulesRowId, DateTimeOffset LoadedAt);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile State? _state;

    public async Task<RuleSet> GetActiveRulesAsync(CancellationToken ct) => (await StateAsync(ct)).Rules;
    public async Task<PolicyCatalogue> GetCatalogueAsync(CancellationToken ct) => (await StateAsync(ct)).Catalogue;
    public async Task<RuleSetInfo> GetActiveInfoAsync(CancellationToken ct) => (await StateAsync(ct)).Info;

    /// <summary>
    /// The catalogue in force without waiting, for code that runs inside a commit (decision effects): the cached one, which
    /// the decider has just loaded for the same item. Loads it (blocking) only if nothing in this process asked before.
    /// </summary>
    public PolicyCatalogue CatalogueInForce() => _state?.Catalogue ?? GetCatalogueAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Checks candidate rule files against the catalogue in force, without activating them.</summary>
    public async Task<(RuleSet? Set, IReadOnlyList<RuleError> Errors)> CompileAsync(IReadOnlyList<RuleFile> files, CancellationToken ct)
    {
        var catalogue = await GetCatalogueAsync(ct);
        var set = RuleSet.Load(files, catalogue, SignalSchema.Default, out var errors);
        return (set, errors);
    }

    /// <summary>Activates a rule set if it compiles; the activation is audited with the old and new hashes.</summary>
    public Task<PolicyChange> ActivateAsync(IReadOnlyList<RuleFile> files, string actor, CancellationToken ct) => ActivateAsync(files, actor, null, ct);

    /// <summary>
    /// Activates a rule set derived from the one whose hash is <paramref name="expectedHash"/> (an edit of the rules in
    /// force), only if that rule set is still the one in force: a change made meanwhile, in this process or another, is not
    /// silently overwritten with the stale files; the caller is refused and looks again. The check runs inside the writing
    /// transaction (SQLite's single writer; a PostgreSQL advisory lock), so two such activations cannot both pass it.
    /// </summary>
    public async Task<PolicyChange> ActivateAsync(IReadOnlyList<RuleFile> files, string actor, string? expectedHash, CancellationToken ct)
    {
        var (set, errors) = await CompileAsync(files, ct);
        if (set is null) return new(false, errors.Select(e => e.ToString()).ToList());
        await _lock.WaitAsync(ct);
        try
        {
            var before = (await LoadAsync(ct)).Info.Hash;
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('bulwark.rules.activate'))", ct);
            before = await db.Set<RuleSetRow>().AsNoTracking().OrderByDescending(r => r.Id).Select(r => r.Hash).FirstOrDefaultAsync(ct) ?? before;
            if (expectedHash is not null && before != expectedHash)
            {
                _state = null; // this process's copy is stale: the next read loads the newer rule set
                return new(false, [$"the rule set in force changed while this change was prepared (it is now {before}, the change was made to {expectedHash}); look at the rules again"], before);
            }
            db.Set<RuleSetRow>().Add(new RuleSetRow
            {
                Hash = set.Hash, FilesJson = JsonSerializer.Serialize(files, FilesJson), CatalogueVersion = set.Catalogue.Version!,
                ActivatedBy = actor, ActivatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            var info = Describe(set, actor, clock.GetUtcNow());
            await audit.AppendAsync(db, [new AuditRecord(actor, "rules.activated", "rules", before, set.Hash,
                $"{info.Rules} rules ({info.Enforce} enforce, {info.Shadow} shadow, {info.Disabled} disabled) in {files.Count} file(s)")], ct);
            await tx.CommitAsync(ct);
            _state = null;
            return new(true, [], before, set.Hash);
        }
        finally { _lock.Release(); }
    }

    /// <summary>Stores a new catalogue version if it is valid and the active rules still compile against it; audited.</summary>
    public async Task<PolicyChange> UpdateCatalogueAsync(string json, string actor, CancellationToken ct)
    {
        var catalogue = PolicyCatalogue.Parse(json, out var errors);
        if (catalogue is null) return new(false, errors);
        var current = await StateAsync(ct);
        if (RuleSet.Load(current.Rules.Files, catalogue, SignalSchema.Default, out var ruleErrors) is null)
            return new(false, ruleErrors.Select(e => $"the active rules would no longer compile: {e}").ToList());
        await _lock.WaitAsync(ct);
        try
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            db.Set<PolicyCatalogueRow>().Add(new PolicyCatalogueRow { Version = catalogue.Version!, Json = catalogue.ToJson(), CreatedBy = actor, CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "policy.catalogue_updated", "policy-catalogue", current.Catalogue.Version, catalogue.Version,
                $"{catalogue.Policies!.Count} policies: {string.Join(", ", catalogue.Policies.Select(p => p.Id))}")], ct);
            await tx.CommitAsync(ct);
            _state = null;
            return new(true, [], current.Catalogue.Version, catalogue.Version);
        }
        finally { _lock.Release(); }
    }

    private async Task<State> StateAsync(CancellationToken ct)
    {
        var s = _state;
        if (s is not null && clock.GetUtcNow() - s.LoadedAt < RefreshInterval) return s;
        await _lock.WaitAsync(ct);
        try { return await LoadAsync(ct); }
        finally { _lock.Release(); }
    }

    // Reloads only when a newer version was stored; a stored version that no longer compiles (e.g. after a schema change in
    // an upgrade) is reported and the previous good state is kept rather than failing every decision.
    private async Task<State> LoadAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var catalogueRow = await db.Set<PolicyCatalogueRow>().AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var rulesRow = await db.Set<RuleSetRow>().AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        var previous = _state;
        if (previous is not null && previous.CatalogueRowId == (catalogueRow?.Id ?? 0) && previous.RulesRowId == (rulesRow?.Id ?? 0))
            return _state = previous with { LoadedAt = now };

        try
        {
            var catalogue = catalogueRow is null ? PolicyCatalogue.Default
                : PolicyCatalogue.Parse(catalogueRow.Json, out var ce) ?? throw new InvalidOperationException($"Stored policy catalogue {catalogueRow.Id} is invalid: {string.Join("; ", ce)}");
            RuleSet rules;
            if (rulesRow is null) rules = RuleSet.Shipped(catalogue);
            else
            {
                var files = JsonSerializer.Deserialize<List<RuleFile>>(rulesRow.FilesJson, FilesJson) ?? [];
                rules = RuleSet.Load(files, catalogue, SignalSchema.Default, out var re)
                    ?? throw new InvalidOperationException($"Stored rule set {rulesRow.Hash} does not compile: {string.Join("; ", re)}");
            }
            var info = Describe(rules, rulesRow?.ActivatedBy, rulesRow?.ActivatedAt);
            return _state = new State(catalogue, rules, info, catalogueRow?.Id ?? 0, rulesRow?.Id ?? 0, now);
        }
        catch (InvalidOperationException) when (previous is not null)
        {
            return _state = previous with { LoadedAt = now };
        }
    }

    private static RuleSetInfo Describe(RuleSet set, string? by, DateTimeOffset? at) => new(
        set.Hash, set.Rules.Count, set.Rules.Count(r => r.Mode == RuleMode.Enforce), set.Rules.Count(r => r.Mode == RuleMode.Shadow),
        set.Rules.Count(r => r.Mode == RuleMode.Disabled), set.Catalogue.Version!, by, at);
}
