using System.Text.RegularExpressions;

namespace Bulwark.Core.Ingest;

/// <summary>
/// BCP 47 (RFC 5646) language tags: language, script, region, variants, extensions, private use. Primary language subtags of
/// 4–8 letters are well-formed but none is registered, so they are refused (this catches "english" for "en").
/// </summary>
public static partial class LanguageTag
{
    public static bool IsWellFormed(string tag) => tag.Length <= 64 && Pattern().IsMatch(tag);

    [GeneratedRegex(
        @"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?|x(?:-[a-z0-9]{1,8})+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
