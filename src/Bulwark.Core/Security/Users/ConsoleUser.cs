using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Security.Users;

/// <summary>
/// A person who signs in to the moderator console. Passwords, lockout, the TOTP key and recovery codes are ASP.NET Core
/// Identity's; Bulwark adds the interface language and when and by whom the user was created.
/// </summary>
public sealed class ConsoleUser : IdentityUser
{
    /// <summary>Interface language (<see cref="ConsoleLanguages"/>); null = the console's default.</summary>
    public string? Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

/// <summary>The languages of the console's interface.</summary>
public static class ConsoleLanguages
{
    public const string English = "en";
    public const string Italian = "it";
    public static readonly IReadOnlyList<string> All = [English, Italian];
    public static bool IsKnown(string? language) => language is not null && All.Contains(language, StringComparer.Ordinal);
}

// Identity's tables keep their shape; only their names follow Bulwark's snake_case (columns are renamed for every table).

internal sealed class ConsoleUserConfiguration : IEntityTypeConfiguration<ConsoleUser>
{
    public void Configure(EntityTypeBuilder<ConsoleUser> e)
    {
        e.ToTable("console_users");
        e.Property(x => x.Language).HasMaxLength(8);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class ConsoleRoleConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> e) => e.ToTable("console_roles");
}

internal sealed class ConsoleUserRoleConfiguration : IEntityTypeConfiguration<IdentityUserRole<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<string>> e) => e.ToTable("console_user_roles");
}

internal sealed class ConsoleUserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<string>> e) => e.ToTable("console_user_claims");
}

internal sealed class ConsoleUserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<string>> e) => e.ToTable("console_user_logins");
}

internal sealed class ConsoleUserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<string>> e) => e.ToTable("console_user_tokens");
}

internal sealed class ConsoleRoleClaimConfiguration : IEntityTypeConfiguration<IdentityRoleClaim<string>>
{
    public void Configure(EntityTypeBuilder<IdentityRoleClaim<string>> e) => e.ToTable("console_role_claims");
}
