using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Authorities.Registry;

/// <summary>
/// The competent authorities registry (Reg. 2021/784 Art. 12; DSA Art. 18): who may send removal orders, who receives
/// referrals, per Member State, and Europol as the referral fallback. Changed by policy admins only; every change audited.
/// Ships no real contact data: the built-in Europol entry has none until someone configures it.
/// </summary>
public sealed partial class AuthorityRegistry(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    /// <summary>The built-in fallback entry's id.</summary>
    public const string EuropolId = "europol";

    /// <summary>EU Member States (ISO 3166-1 alpha-2, Greece as <c>EL</c> as the EU writes it) and <c>EU</c> for Union bodies.</summary>
    public static readonly IReadOnlySet<string> MemberStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "EL", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PL", "PT", "RO", "SK", "SI", "ES", "SE", "EU",
    };

    /// <summary>Normalises a Member State code (upper case; <c>GR</c> becomes <c>EL</c>); null when it is not one.</summary>
    public static string? NormaliseMemberState(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var c = code.Trim().ToUpperInvariant();
        if (c == "GR") c = "EL";
        return MemberStates.Contains(c) ? c : null;
    }

    public async Task<IReadOnlyList<CompetentAuthority>> ListAsync(CancellationToken ct)
    {
        await EnsureFallbackAsync(ct);
        await using var db = dbs.Create();
        var rows = await db.Set<CompetentAuthorityRow>().AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.MemberState, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).Select(CompetentAuthority.From).ToList();
    }

    public async Task<CompetentAuthority?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var row = await db.Set<CompetentAuthorityRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is null ? null : CompetentAuthority.From(row);
    }

    /// <summary>
    /// The authority a referral (DSA Art. 18) goes to: the active referral authority of <paramref name="memberState"/>
    /// (a real entry before an example one), else the fallback entry (Europol). The built-in Europol entry is created on
    /// first use with no contact data (channel <c>manual</c>), so a referral always has a recipient to record; its
    /// <see cref="CompetentAuthority.Contact"/> is null until a policy admin configures it.
    /// </summary>
    public async Task<CompetentAuthority> ResolveReferralRecipientAsync(string? memberState, CancellationToken ct)
    {
        var state = NormaliseMemberState(memberState);
        await using (var db = dbs.Create())
        {
            if (state is not null && state != "EU")
            {
                var rows = await db.Set<CompetentAuthorityRow>().AsNoTracking().Where(r => r.MemberState == state && r.Active).ToListAsync(ct);
                var pick = rows.Where(r => r.Competences.Split(',').Contains(Competences.Referrals))
                    .OrderBy(r => r.Example).ThenBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
                if (pick is not null) return CompetentAuthority.From(pick);
            }
            var fallback = (await db.Set<CompetentAuthorityRow>().AsNoTracking().Where(r => r.Fallback && r.Active).ToListAsync(ct))
                .OrderBy(r => r.Id == EuropolId ? 1 : 0).ThenBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
            if (fallback is not null) return CompetentAuthority.From(fallback);
        }
        return await EnsureFallbackAsync(ct);
    }

    /// <summary>The built-in Europol fallback entry, created (audited as <c>system</c>) when no fallback exists.</summary>
    public async Task<CompetentAuthority> EnsureFallbackAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var existing = await db.Set<CompetentAuthorityRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == EuropolId, ct);
        if (existing is not null) return CompetentAuthority.From(existing);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (await db.Set<CompetentAuthorityRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == EuropolId, ct) is { } raced) return CompetentAuthority.From(raced);
        var now = clock.GetUtcNow();
        var row = new CompetentAuthorityRow
        {
            Id = EuropolId, Name = "Europol (fallback when the Member State is unclear)", MemberState = "EU", Competences = Competences.Referrals,
            Channel = Channels.Manual, Contact = null, Fallback = true, Example = false, Active = true,
            Note = "DSA Art. 18(2): when the Member State concerned cannot be identified, inform the authorities of the Member State of establishment or Europol, or both. No contact data is shipped: configure Europol's contact point before relying on it.",
            CreatedAt = now, UpdatedAt = now, UpdatedBy = "system",
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord("system", "authority.registered", $"authority:{row.Id}", null, Describe(row))], ct);
        await tx.CommitAsync(ct);
        return CompetentAuthority.From(row);
    }

    /// <summary>Creates or replaces an entry (the caller checked the actor is a policy admin). Errors name the field.</summary>
    public async Task<(CompetentAuthority? Value, IReadOnlyList<FieldError> Errors)> SaveAsync(AuthorityInput input, string actor, CancellationToken ct)
    {
        var errors = Validate(input, out var state, out var competences);
        if (errors.Count > 0) return (null, errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var row = await db.Set<CompetentAuthorityRow>().FirstOrDefaultAsync(r => r.Id == input.Id, ct);
        var before = row is null ? null : Describe(row);
        if (row is null)
        {
            row = new CompetentAuthorityRow { Id = input.Id!, Name = "", MemberState = "", Competences = "", Channel = "", CreatedAt = now, UpdatedBy = actor };
            db.Add(row);
        }
        row.Name = input.Name!.Trim();
        row.MemberState = state!;
        row.Competences = string.Join(',', competences);
        row.Channel = input.Channel!;
        row.Contact = string.IsNullOrWhiteSpace(input.Contact) ? null : input.Contact.Trim();
        row.Fallback = input.Fallback;
        row.Example = input.Example;
        row.Active = input.Active;
        row.Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, before is null ? "authority.registered" : "authority.changed", $"authority:{row.Id}", before, Describe(row))], ct);
        await tx.CommitAsync(ct);
        return (CompetentAuthority.From(row), []);
    }

    private static List<FieldError> Validate(AuthorityInput input, out string? state, out List<string> competences)
    {
        var errors = new List<FieldError>();
        if (input.Id is null || !IdPattern().IsMatch(input.Id)) errors.Add(new("id", "is required: 2–64 lowercase letters, digits and '-' (e.g. example-it-removal)"));
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200) errors.Add(new("name", "is required, at most 200 characters"));
        state = NormaliseMemberState(input.MemberState);
        if (state is null) errors.Add(new("memberState", $"must be an EU Member State code ({string.Join(", ", MemberStates.Order(StringComparer.Ordinal))})"));
        competences = (input.Competences ?? []).Select(c => c?.Trim() ?? "").Distinct().ToList();
        if (competences.Count == 0 || competences.Any(c => !Competences.All.Contains(c)))
            errors.Add(new("competences", $"must list one or more of {string.Join(", ", Competences.All)}"));
        if (input.Channel is null || !Channels.All.Contains(input.Channel)) errors.Add(new("channel", $"must be one of {string.Join(", ", Channels.All)}"));
        if (input.Contact is { Length: > 500 }) errors.Add(new("contact", "must be at most 500 characters"));
        if (input.Note is { Length: > 1000 }) errors.Add(new("note", "must be at most 1000 characters"));
        if (input.Channel == Channels.Https && (!Uri.TryCreate(input.Contact, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttps))
            errors.Add(new("contact", "must be an https:// URL for the https channel"));
        if (input.Channel == Channels.Email && (input.Contact is null || !input.Contact.Contains('@', StringComparison.Ordinal)))
            errors.Add(new("contact", "must be an e-mail address for the email channel"));
        return errors;
    }

    private static string Describe(CompetentAuthorityRow r) =>
        $"name={r.Name}; memberState={r.MemberState}; competences={r.Competences}; channel={r.Channel}; contact={r.Contact}; fallback={r.Fallback}; example={r.Example}; active={r.Active}";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex IdPattern();
}
