using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Entities;

public sealed record EntityTerm(string Type, string Value, string Grade = EntityGrades.Strong, string Origin = "manual");

public sealed record EntityListing(string Source, string SourceKey, string? ListType, string? ReferenceNumber, DateOnly? ListedOn, bool Active, DateTimeOffset? DelistedAt);

public sealed record EntityView(
    long Id, string Kind, string PrimaryName, string Tier, string Status, string? Ideology, IReadOnlyList<string> RegionScope, string? Notes,
    IReadOnlyList<string> Evidence, string Origin, IReadOnlyList<EntityTerm> Terms, IReadOnlyList<EntityListing> Listings,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? StatusChangedBy, DateTimeOffset? StatusChangedAt, string? StatusReason);

/// <summary>A new entry, or the fields of an update (null = unchanged). <see cref="Terms"/>, when given, replaces the manual terms.</summary>
public sealed record EntityInput(
    string? Kind = null, string? PrimaryName = null, string? Tier = null, string? Ideology = null, IReadOnlyList<string>? RegionScope = null,
    string? Notes = null, IReadOnlyList<string>? Evidence = null, IReadOnlyList<EntityTerm>? Terms = null);

public sealed record EntityFilter(string? Status = null, string? Tier = null, string? Kind = null, string? Source = null, string? Query = null);

public sealed record EntityPage(IReadOnlyList<EntityView> Entities, long? NextCursor);

/// <summary>Input that breaks the registry's rules; every field at fault is named.</summary>
public sealed class EntityValidationException(IReadOnlyList<FieldError> errors)
    : Exception($"{errors[0].Field} {errors[0].Message}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>A status change the state machine does not allow (e.g. approving a revoked entry).</summary>
public sealed class EntityTransitionException(string message) : Exception(message);

/// <summary>
/// The designated-entity registry: organisations and individuals with their names, terms, list memberships and evidence, and the
/// review state machine <c>proposed → approved → revoked</c>. Every change is audited (who, when, why) in its own transaction;
/// the screening index follows at once.
/// </summary>
public sealed class EntityRegistry(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, EntityScreeningService screening)
{
    public const int MaxTerms = 500;
    public const int MaxTermLength = 512;
    public const int MaxReasonLength = 2000;

    public async Task<EntityView> CreateAsync(EntityInput input, string actor, CancellationToken ct)
    {
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) throw new EntityValidationException(errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var row = new DesignatedEntityRow
        {
            Kind = input.Kind!, PrimaryName = input.PrimaryName!.Trim(), Tier = input.Tier!, Status = EntityStatuses.Proposed,
            Origin = "manual", CreatedAt = now, UpdatedAt = now, StatusChangedBy = actor, StatusChangedAt = now,
        };
        Apply(row, input);
        row.Terms.Add(new EntityTermRow { Type = EntityTermTypes.Name, Value = row.PrimaryName, Grade = EntityGrades.Strong, Origin = "manual" });
        db.Set<DesignatedEntityRow>().Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "entity.proposed", Subject(row.Id), After: Describe(row))], ct);
        await tx.CommitAsync(ct);
        return View(row);
    }

    public async Task<EntityView> UpdateAsync(long id, EntityInput input, string actor, CancellationToken ct)
    {
        var errors = Validate(input, creating: false);
        if (errors.Count > 0) throw new EntityValidationException(errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await FindAsync(db, id, ct);
        var before = Describe(row);
        if (input.Kind is not null) row.Kind = input.Kind;
        if (input.PrimaryName is not null) row.PrimaryName = input.PrimaryName.Trim();
        if (input.Tier is not null) row.Tier = input.Tier;
        Apply(row, input);
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "entity.updated", Subject(id), Before: before, After: Describe(row))], ct);
        await tx.CommitAsync(ct);
        if (row.Status == EntityStatuses.Approved) await screening.FollowAsync(ct);
        return View(row);
    }

    /// <summary>proposed → approved. Any other starting state is refused with <see cref="EntityTransitionException"/>.</summary>
    public Task<EntityView> ApproveAsync(long id, string reason, string actor, CancellationToken ct) =>
        TransitionAsync(id, EntityStatuses.Approved, [EntityStatuses.Proposed], reason, actor, ct);

    /// <summary>proposed or approved → revoked (a revoked proposal is a rejected one).</summary>
    public Task<EntityView> RevokeAsync(long id, string reason, string actor, CancellationToken ct) =>
        TransitionAsync(id, EntityStatuses.Revoked, [EntityStatuses.Proposed, EntityStatuses.Approved], reason, actor, ct);

    private async Task<EntityView> TransitionAsync(long id, string to, string[] from, string reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new EntityValidationException([new FieldError("reason", "is required: say why")]);
        if (reason.Length > MaxReasonLength) throw new EntityValidationException([new FieldError("reason", $"must be at most {MaxReasonLength} characters")]);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await FindAsync(db, id, ct);
        if (!from.Contains(row.Status))
            throw new EntityTransitionException($"Entity {id} is {row.Status}; it can only become {to} from {string.Join(" or ", from)}.");
        var before = row.Status;
        SetStatus(row, to, actor, reason.Trim(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, $"entity.{to}", Subject(id), Before: $"status={before}", After: $"status={to}; {Describe(row)}", Reason: row.StatusReason)], ct);
        await tx.CommitAsync(ct);
        await screening.FollowAsync(ct);
        return View(row);
    }

    internal static void SetStatus(DesignatedEntityRow row, string status, string actor, string reason, DateTimeOffset now)
    {
        row.Status = status;
        row.StatusChangedBy = actor;
        row.StatusChangedAt = now;
        row.StatusReason = reason;
        row.UpdatedAt = now;
    }

    public async Task<EntityView> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return View(await FindAsync(db, id, ct, tracked: false));
    }

    /// <summary>Entries in id order after <paramref name="cursor"/>, filtered; <see cref="EntityPage.NextCursor"/> is null on the last page.</summary>
    public async Task<EntityPage> ListAsync(EntityFilter filter, long cursor, int limit, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (filter.Status is not null && !EntityStatuses.All.Contains(filter.Status)) errors.Add(new("status", $"must be one of {string.Join(", ", EntityStatuses.All)}"));
        if (filter.Tier is not null && !EntityTiers.All.Contains(filter.Tier)) errors.Add(new("tier", $"must be one of {string.Join(", ", EntityTiers.All)}"));
        if (filter.Kind is not null && !EntityKinds.All.Contains(filter.Kind)) errors.Add(new("kind", $"must be one of {string.Join(", ", EntityKinds.All)}"));
        if (limit is < 1 or > 1000) errors.Add(new("limit", "must be between 1 and 1000"));
        if (errors.Count > 0) throw new EntityValidationException(errors);

        await using var db = dbs.Create();
        var query = db.Set<DesignatedEntityRow>().AsNoTracking().Where(e => e.Id > cursor);
        if (filter.Status is { } s) query = query.Where(e => e.Status == s);
        if (filter.Tier is { } t) query = query.Where(e => e.Tier == t);
        if (filter.Kind is { } k) query = query.Where(e => e.Kind == k);
        if (filter.Source is { } src) query = query.Where(e => e.Listings.Any(l => l.Source == src));
        if (!string.IsNullOrWhiteSpace(filter.Query))
        {
            var q = filter.Query.Trim().ToLowerInvariant();
            query = query.Where(e => e.Terms.Any(term => term.Value.ToLower().Contains(q)));
        }
        var rows = await query.OrderBy(e => e.Id).Take(limit + 1).Include(e => e.Terms).Include(e => e.Listings).AsSplitQuery().ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new EntityPage(rows.Select(View).ToList(), more ? rows[^1].Id : null);
    }

    private static async Task<DesignatedEntityRow> FindAsync(BulwarkDbContext db, long id, CancellationToken ct, bool tracked = true)
    {
        var set = tracked ? db.Set<DesignatedEntityRow>() : db.Set<DesignatedEntityRow>().AsNoTracking();
        return await set.Include(e => e.Terms).Include(e => e.Listings).AsSplitQuery().FirstOrDefaultAsync(e => e.Id == id, ct)
            ?? throw new KeyNotFoundException($"No designated entity {id}.");
    }

    private static void Apply(DesignatedEntityRow row, EntityInput input)
    {
        if (input.Ideology is not null) row.Ideology = Blank(input.Ideology);
        if (input.RegionScope is not null) row.RegionScope = input.RegionScope.Count == 0 ? null : string.Join(',', input.RegionScope.Select(r => r.Trim().ToUpperInvariant()).Distinct());
        if (input.Notes is not null) row.Notes = Blank(input.Notes);
        if (input.Evidence is not null) row.EvidenceJson = JsonSerializer.Serialize(input.Evidence.Select(e => e.Trim()).Distinct().ToList());
        if (input.Terms is not null)
        {
            row.Terms.RemoveAll(t => t.Origin == "manual" && t.Type != EntityTermTypes.Name);
            foreach (var t in input.Terms.DistinctBy(t => (t.Type, t.Value.Trim(), t.Grade)))
                row.Terms.Add(new EntityTermRow { Type = t.Type, Value = t.Value.Trim(), Grade = t.Grade, Origin = "manual" });
        }
        if (input.PrimaryName is not null)
        {
            var name = row.Terms.FirstOrDefault(t => t.Type == EntityTermTypes.Name && t.Origin == "manual");
            if (name is not null) name.Value = row.PrimaryName;
        }
    }

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Every problem of an entry or update, without touching the database.</summary>
    public static List<FieldError> Validate(EntityInput input, bool creating)
    {
        var errors = new List<FieldError>();
        if (creating && input.Kind is null) errors.Add(new("kind", $"is required: one of {string.Join(", ", EntityKinds.All)}"));
        else if (input.Kind is not null && !EntityKinds.All.Contains(input.Kind)) errors.Add(new("kind", $"must be one of {string.Join(", ", EntityKinds.All)}"));
        if (creating && string.IsNullOrWhiteSpace(input.PrimaryName)) errors.Add(new("primaryName", "is required"));
        else if (input.PrimaryName is not null && (string.IsNullOrWhiteSpace(input.PrimaryName) || input.PrimaryName.Length > MaxTermLength || HasLoneSurrogate(input.PrimaryName)))
            errors.Add(new("primaryName", $"must be 1–{MaxTermLength} characters of valid text"));
        if (creating && input.Tier is null) errors.Add(new("tier", $"is required: one of {string.Join(", ", EntityTiers.All)}"));
        else if (input.Tier is not null && !EntityTiers.All.Contains(input.Tier)) errors.Add(new("tier", $"must be one of {string.Join(", ", EntityTiers.All)}"));
        if (input.Ideology is { Length: > 256 }) errors.Add(new("ideology", "must be at most 256 characters"));
        if (input.Notes is { Length: > 4000 }) errors.Add(new("notes", "must be at most 4000 characters"));
        for (var i = 0; i < (input.RegionScope?.Count ?? 0); i++)
            if (!RegionCodes.IsAssigned(input.RegionScope![i].Trim().ToUpperInvariant()))
                errors.Add(new($"regionScope[{i}]", $"'{input.RegionScope[i]}' is not an assigned ISO 3166-1 alpha-2 code"));
        for (var i = 0; i < (input.Evidence?.Count ?? 0); i++)
        {
            var link = input.Evidence![i];
            if (!Uri.TryCreate(link?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || link!.Length > 2048)
                errors.Add(new($"evidence[{i}]", "must be an http(s) URL of at most 2048 characters"));
        }
        if (input.Terms is { Count: > MaxTerms }) errors.Add(new("terms", $"at most {MaxTerms} terms"));
        for (var i = 0; i < Math.Min(input.Terms?.Count ?? 0, MaxTerms); i++)
        {
            var t = input.Terms![i];
            if (t is null) { errors.Add(new($"terms[{i}]", "must be an object")); continue; }
            if (t.Type == EntityTermTypes.Name) errors.Add(new($"terms[{i}].type", "'name' is the primary name: set primaryName instead"));
            else if (!EntityTermTypes.All.Contains(t.Type)) errors.Add(new($"terms[{i}].type", $"must be one of {string.Join(", ", EntityTermTypes.All.Where(x => x != EntityTermTypes.Name))}"));
            if (!EntityGrades.All.Contains(t.Grade)) errors.Add(new($"terms[{i}].grade", $"must be one of {string.Join(", ", EntityGrades.All)}"));
            if (string.IsNullOrWhiteSpace(t.Value) || t.Value.Length > MaxTermLength || HasLoneSurrogate(t.Value))
                errors.Add(new($"terms[{i}].value", $"must be 1–{MaxTermLength} characters of valid text"));
        }
        return errors;
    }

    public static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return true;
        }
        return false;
    }

    internal static string Subject(long id) => $"entity:{id.ToString(CultureInfo.InvariantCulture)}";

    internal static string Describe(DesignatedEntityRow r) =>
        $"{r.Kind} '{r.PrimaryName}'; tier={r.Tier}; status={r.Status}; terms={r.Terms.Count}" +
        (r.Listings.FirstOrDefault(l => l.Active) is { } l ? $"; listed {l.Source}:{l.ReferenceNumber ?? l.SourceKey}" : "");

    internal static EntityView View(DesignatedEntityRow r) => new(
        r.Id, r.Kind, r.PrimaryName, r.Tier, r.Status, r.Ideology,
        r.RegionScope is null ? [] : r.RegionScope.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Notes,
        JsonSerializer.Deserialize<List<string>>(r.EvidenceJson) ?? [], r.Origin,
        r.Terms.OrderBy(t => t.Id).Select(t => new EntityTerm(t.Type, t.Value, t.Grade, t.Origin)).ToList(),
        r.Listings.OrderBy(l => l.Id).Select(l => new EntityListing(l.Source, l.SourceKey, l.ListType, l.ReferenceNumber, l.ListedOn, l.Active, l.DelistedAt)).ToList(),
        r.CreatedAt, r.UpdatedAt, r.StatusChangedBy, r.StatusChangedAt, r.StatusReason);
}
