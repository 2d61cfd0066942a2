using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Authorities.Registry;

/// <summary>What an authority is competent for: issuing removal orders (Reg. 2021/784 Art. 12(1)(a)) and receiving referrals (DSA Art. 18).</summary>
public static class Competences
{
    public const string RemovalOrders = "removal_orders";
    public const string Referrals = "referrals";
    public static readonly IReadOnlyList<string> All = [RemovalOrders, Referrals];
}

/// <summary>How an authority is reached: a signed HTTPS POST to its endpoint, e-mail, or by hand (phone, portal, printed form).</summary>
public static class Channels
{
    public const string Https = "https";
    public const string Email = "email";
    public const string Manual = "manual";
    public static readonly IReadOnlyList<string> All = [Https, Email, Manual];
}

/// <summary>
/// A competent authority in the registry: per Member State, who may send removal orders and who receives referrals, and how
/// to reach them. <see cref="Fallback"/> marks the entry used for referrals when the Member State is unclear (Europol, DSA
/// Art. 18(2)). <see cref="Example"/> marks an illustrative entry (the demo's): it carries no real contact data.
/// </summary>
public sealed class CompetentAuthorityRow
{
    /// <summary>A short stable key (lowercase letters, digits, '-'), e.g. <c>example-it-removal</c>; what an order's <c>authority</c> names.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>ISO 3166-1 alpha-2 code of an EU Member State (Greece is <c>EL</c>), or <c>EU</c> for a Union body.</summary>
    public required string MemberState { get; set; }
    /// <summary>Comma-separated <see cref="Competences"/>.</summary>
    public required string Competences { get; set; }
    public required string Channel { get; set; }
    /// <summary>The endpoint URL (https), address (email) or instructions (manual).</summary>
    public string? Contact { get; set; }
    public bool Fallback { get; set; }
    public bool Example { get; set; }
    public bool Active { get; set; } = true;
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class CompetentAuthorityRowConfiguration : IEntityTypeConfiguration<CompetentAuthorityRow>
{
    public void Configure(EntityTypeBuilder<CompetentAuthorityRow> e)
    {
        e.ToTable("competent_authorities");
        e.HasKey(x => x.Id);
        e.HasIndex(x => x.MemberState);
        e.Property(x => x.Id).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.MemberState).HasMaxLength(2);
        e.Property(x => x.Competences).HasMaxLength(100);
        e.Property(x => x.Channel).HasMaxLength(16);
        e.Property(x => x.Contact).HasMaxLength(500);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.UpdatedBy).HasMaxLength(200);
    }
}

/// <summary>A registry entry as services and the API show it.</summary>
public sealed record CompetentAuthority(string Id, string Name, string MemberState, IReadOnlyList<string> Competences, string Channel,
    string? Contact, bool Fallback, bool Example, bool Active, string? Note, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public bool IsCompetentFor(string competence) => Competences.Contains(competence);

    internal static CompetentAuthority From(CompetentAuthorityRow r) => new(r.Id, r.Name, r.MemberState,
        r.Competences.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Channel, r.Contact, r.Fallback, r.Example, r.Active, r.Note, r.UpdatedAt, r.UpdatedBy);
}

/// <summary>A registry entry to create or replace (policy admins only; audited).</summary>
public sealed record AuthorityInput(string? Id, string? Name, string? MemberState, IReadOnlyList<string>? Competences, string? Channel,
    string? Contact, bool Fallback = false, bool Example = false, bool Active = true, string? Note = null);
