using System.Text;
using Bulwark.Core.Security.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bulwark.Core.Storage;

/// <summary>
/// The one database of a Bulwark deployment. Each provider has a subclass (<see cref="SqliteBulwarkDbContext"/>,
/// <see cref="PostgresBulwarkDbContext"/>) only so that each keeps its own migrations; the model is shared.
/// It is also the store of the moderator console's users and roles (ASP.NET Core Identity; tables <c>console_*</c>).
/// </summary>
public abstract class BulwarkDbContext(DbContextOptions options) : IdentityDbContext<ConsoleUser, IdentityRole, string>(options)
{
    public DbSet<ContentItem> ContentItems => Set<ContentItem>();
    public DbSet<ContentVersion> ContentVersions => Set<ContentVersion>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<SignalRow> Signals => Set<SignalRow>();
    public DbSet<DecisionRow> Decisions => Set<DecisionRow>();
    public DbSet<AccountRow> Accounts => Set<AccountRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<AuditEntryRow> AuditEntries => Set<AuditEntryRow>();
    public DbSet<BankRow> Banks => Set<BankRow>();
    public DbSet<BankEntryRow> BankEntries => Set<BankEntryRow>();

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Identity's users, roles and their links; renamed to console_* below (ConsoleUserConfiguration).
        base.OnModelCreating(b);
        b.Entity<ContentItem>(e =>
        {
            e.ToTable("content_items");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(128);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.AccountId).HasMaxLength(128);
            e.HasIndex(x => x.AccountId);
        });
        b.Entity<ContentVersion>(e =>
        {
            e.ToTable("content_versions");
            e.HasIndex(x => new { x.ContentId, x.Version }).IsUnique();
            e.HasIndex(x => new { x.ContentId, x.Fingerprint });
            e.HasIndex(x => x.Status);
            e.Property(x => x.ContentId).HasMaxLength(128);
            e.Property(x => x.Fingerprint).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(16);
        });
        b.Entity<WorkItem>(e =>
        {
            e.ToTable("work_items");
            e.HasIndex(x => new { x.DeadLettered, x.AvailableAt });
            e.HasIndex(x => x.ContentVersionId);
            e.HasOne(x => x.Version).WithMany().HasForeignKey(x => x.ContentVersionId);
        });
        b.Entity<SignalRow>(e =>
        {
            e.ToTable("signals");
            e.HasIndex(x => x.ContentVersionId);
            e.Property(x => x.Type).HasMaxLength(64);
        });
        b.Entity<DecisionRow>(e =>
        {
            e.ToTable("decisions");
            // One decision per version: the unique index makes a redelivered work item harmless.
            e.HasIndex(x => x.ContentVersionId).IsUnique();
            e.HasIndex(x => x.ContentId);
            e.HasIndex(x => x.DecidedAt);
            e.Property(x => x.Policy).HasMaxLength(32);
            e.Property(x => x.Priority).HasMaxLength(16);
            e.Property(x => x.ExceptionApplied).HasMaxLength(64);
            e.Property(x => x.RuleSet).HasMaxLength(64);
        });
        b.Entity<AccountRow>(e =>
        {
            e.ToTable("accounts");
            e.Property(x => x.Id).HasMaxLength(128);
        });
        b.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.Property(x => x.Id).HasMaxLength(32);
        });
        b.Entity<AuditEntryRow>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Seq);
            e.Property(x => x.Seq).ValueGeneratedNever();
        });
        b.Entity<BankRow>(e =>
        {
            e.ToTable("banks");
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Name).HasMaxLength(128);
        });
        b.Entity<BankEntryRow>(e =>
        {
            e.ToTable("bank_entries");
            e.HasIndex(x => new { x.SignalType, x.Value });
            e.HasIndex(x => x.BankId);
            e.HasIndex(x => x.UpdatedAt);
            e.Property(x => x.SignalType).HasMaxLength(32);
        });

        // Later features keep their tables in their own IEntityTypeConfiguration classes beside their code.
        b.ApplyConfigurationsFromAssembly(typeof(BulwarkDbContext).Assembly);

        // snake_case everywhere, so hand-written SQL (the queue claim) reads the same on every provider.
        foreach (var entity in b.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class SqliteBulwarkDbContext(DbContextOptions<SqliteBulwarkDbContext> options) : BulwarkDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; store UTC ticks so ordering and comparison work in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresBulwarkDbContext(DbContextOptions<PostgresBulwarkDbContext> options) : BulwarkDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
