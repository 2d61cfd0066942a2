namespace Bulwark.Core.Ingest;

/// <summary>
/// Text both databases can store. PostgreSQL <c>text</c> cannot hold U+0000 (NUL) at all, while SQLite stores it, so a NUL
/// that reached a stage would be decided on SQLite and fail the commit on PostgreSQL. Everything else System.Text.Json
/// accepts is storable on both: it refuses lone surrogates (escaped or as invalid UTF-8) itself, and noncharacters
/// (U+FFFE, U+FFFF, U+FDD0…), bidi and other control characters are valid UTF-8 that PostgreSQL keeps as given.
/// Per field (docs/api.md, "Text the database cannot store"): a NUL is refused, naming the field, in identifiers, names,
/// reasons, URLs and everything an operator sends; in the free text of a content event it is replaced by U+FFFD at ingest,
/// before the fingerprint and every stage, so the item is still moderated and both databases see the same text.
/// </summary>
public static class StorableText
{
    /// <summary>What a NUL in an event's free text becomes: the Unicode replacement character, visible to a moderator.</summary>
    public const char NulReplacement = '\uFFFD';

    public const string NulMessage = "contains a NUL character (U+0000), which cannot be stored; remove it";

    public static bool HasNul(string? value) => value is not null && value.Contains('\0');

    public static string? ReplaceNul(string? value) => HasNul(value) ? value!.Replace('\0', NulReplacement) : value;

    /// <summary>
    /// Replaces NUL in the free text of an event (text, transcript, hashtags, links, and the account's handle, display name
    /// and bio), in place. Identifiers, URLs of media, part names and the source are left for validation to refuse.
    /// </summary>
    public static void NormalizeFreeText(ContentEvent e)
    {
        e.Text = ReplaceNul(e.Text);
        e.Transcript = ReplaceNul(e.Transcript);
        Replace(e.Hashtags);
        Replace(e.Links);
        if (e.Account is { } a)
        {
            a.Handle = ReplaceNul(a.Handle);
            a.DisplayName = ReplaceNul(a.DisplayName);
            a.Bio = ReplaceNul(a.Bio);
        }
    }

    private static void Replace(List<string>? values)
    {
        if (values is null) return;
        for (var i = 0; i < values.Count; i++) values[i] = ReplaceNul(values[i])!;
    }
}
