using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bulwark.Core.Storage;

/// <summary>
/// Recognises a unique-key violation on either provider, so that "someone else inserted it first" (another process doing
/// the same idempotent step at the same moment) can be told apart from a real failure.
/// </summary>
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;           // SQLITE_CONSTRAINT
    private const int SqliteConstraintUnique = 2067;   // SQLITE_CONSTRAINT_UNIQUE
    private const int SqliteConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY

    public static bool Is(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException pg && pg.SqlState == PostgresErrorCodes.UniqueViolation) return true;
            if (ex is SqliteException lite && lite.SqliteErrorCode == SqliteConstraint
                && lite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey) return true;
        }
        return false;
    }
}
