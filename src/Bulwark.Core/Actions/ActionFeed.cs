using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions;

/// <summary>An action as the platform receives it, in the pull feed and as a webhook body.</summary>
public sealed record ActionView(
    long Id, string Kind, string TargetType, string TargetId, string? Policy, long? DecisionId, string IdempotencyKey,
    IReadOnlyDictionary<string, string> Details, DateTimeOffset CreatedAt)
{
    public static ActionView From(ActionRow r) => new(r.Id, r.Kind, r.TargetType, r.TargetId, r.Policy, r.DecisionId, r.IdempotencyKey,
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.DetailsJson) ?? [], r.CreatedAt);

    /// <summary>The JSON body: camelCase field names, UTC ISO 8601 time.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this with { CreatedAt = CreatedAt.ToUniversalTime() }, ActionJson.Default.ActionView);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ActionView))]
internal sealed partial class ActionJson : JsonSerializerContext;

public sealed record ActionPage(IReadOnlyList<ActionView> Items, string? NextCursor, bool HasMore);

/// <summary>
/// The pull feed: actions in id order after an opaque cursor. Ids are handed out in commit order (see
/// <see cref="ActionOrderingInterceptor"/>), so a reader that has passed an id never misses a later commit below it.
/// </summary>
public sealed class ActionFeed(IBulwarkDbFactory dbs)
{
    public const int MaxLimit = 1000;
    private const string CursorPrefix = "a1:";

    public async Task<ActionPage> PageAsync(string? after, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit) throw new ArgumentOutOfRangeException(nameof(limit), $"must be between 1 and {MaxLimit}");
        var afterId = ParseCursor(after);
        await using var db = dbs.Create();
        var rows = await db.Set<ActionRow>().AsNoTracking().Where(a => a.Id > afterId).OrderBy(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        // With nothing new the cursor stays where it was, so a poller can keep asking with the same cursor.
        var next = rows.Count > 0 ? Cursor(rows[^1].Id) : after;
        return new ActionPage(rows.Select(ActionView.From).ToList(), next, more);
    }

    public static string Cursor(long id) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(CursorPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Null or empty means the beginning; anything not produced by <see cref="Cursor"/> is refused.</summary>
    public static long ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(CursorPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                return id;
        }
        catch (FormatException) { }
        throw new ArgumentException("is not a cursor returned by this feed (use the nextCursor of a previous page, or omit it to start at the beginning)", nameof(cursor));
    }
}
