using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Storage;

/// <summary>Bound from <c>Bulwark:Database</c>; the connection string comes from <c>ConnectionStrings:Bulwark</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Bulwark:Database";
    public const string DefaultSqlitePath = "data/bulwark.db";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Seconds a command may run before it is abandoned.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    public static string DefaultConnectionString(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => $"Data Source={DefaultSqlitePath}",
        _ => throw new InvalidOperationException("ConnectionStrings:Bulwark must be set when Bulwark:Database:Provider is Postgres."),
    };
}
