using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bulwark.Core.Storage;

// Used only by `dotnet ef migrations add` to build each provider's model; never at run time.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBulwarkDbContext>
{
    public SqliteBulwarkDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<SqliteBulwarkDbContext>();
        o.UseSqlite("Data Source=design.db");
        return new SqliteBulwarkDbContext(o.Options);
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBulwarkDbContext>
{
    public PostgresBulwarkDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<PostgresBulwarkDbContext>();
        o.UseNpgsql("Host=localhost;Database=design");
        return new PostgresBulwarkDbContext(o.Options);
    }
}
