using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Storage;

/// <summary>Applies the provider's migrations; used by the server at start-up and by <c>bulwark db migrate</c>.</summary>
public sealed class DatabaseMigrator(IBulwarkDbFactory factory)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var db = factory.Create();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }

    public async Task<bool> CanConnectAsync(CancellationToken ct = default)
    {
        try
        {
            await using var db = factory.Create();
            return await db.Database.CanConnectAsync(ct);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
