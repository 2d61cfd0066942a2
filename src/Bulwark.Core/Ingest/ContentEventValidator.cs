using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Accounts;

namespace Bulwark.Core.Ingest;

/// <summary>A media file already written to the media store from a multipart upload.</summary>
public sealed record StoredMedia(string PartName, string Sha256, long Size, string? ContentType);

/// <summary>Checks a <see cref="ContentEvent"/> against contract v1 and names every offending field.</summary>
public sealed partial class ContentEventValidator(IngestOptions options, AddressGuard guard)
{
    public static readonly string[] Kinds = ["video", "image", "text", "comment", "profile", "livestream", "link"];
    public static readonly string[] Visibilities = ["public", "followers", "unlisted", "private"];
    public static readonly string[] SourceTypes = ["upload", "user_report", "trusted_flagger", "partner_alert", "authority_order"];

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}\\z")]
    public static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]{64}\\z")]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\z")]
    private static partial Regex MimePattern();

    /// <summary>Validates; when <paramref name="uploads"/> is given, part references are resolved and filled in on the event.</summary>
    public List<FieldError> Validate(ContentEvent e, IReadOnlyDictionary<string, StoredMedia>? uploads = null)
    {
        var errors = new List<FieldError>();
        CheckId(errors, "id", e.Id, required: true);
        if (string.IsNullOrEmpty(e.Kind)) errors.Add(new("kind", "is required; one of " + string.Join(", ", Kinds)));
        else if (Array.IndexOf(Kinds, e.Kind) < 0) errors.Add(new("kind", $"'{Clip(e.Kind)}' is not a content kind; expected one of {string.Join(", ", Kinds)}"));

        if (e.Account is { } a)
        {
            CheckId(errors, "account.id", a.Id, required: true);
            CheckText(errors, "account.handle", a.Handle);
            CheckText(errors, "account.displayName", a.DisplayName);
            CheckText(errors, "account.bio", a.Bio);
            LinkedIdentifierTypes.Check(errors, "account.linkedIdentifiers", a.LinkedIdentifiers);
        }
        CheckText(errors, "text", e.Text);
        CheckText(errors, "transcript", e.Transcript);
        CheckList(errors, "hashtags", e.Hashtags);
        CheckList(errors, "links", e.Links);
        if (e.Language is not null && !LanguageTag.IsWellFormed(e.Language))
            errors.Add(new("language", $"'{Clip(e.Language)}' is not a well-formed BCP 47 language tag (e.g. en, it-IT)"));
        if (e.Region is not null && !RegionCodes.IsAssigned(e.Region))
            errors.Add(new("region", $"'{Clip(e.Region)}' is not an assigned ISO 3166-1 alpha-2 code in upper case (e.g. IT, GB)"));
        if (e.ViewCount is < 0) errors.Add(new("viewCount", "must not be negative"));
        CheckId(errors, "parentId", e.ParentId, required: false);
        if (e.Source is { } s)
        {
            if (string.IsNullOrEmpty(s.Type)) errors.Add(new("source.type", "is required; one of " + string.Join(", ", SourceTypes)));
            else if (Array.IndexOf(SourceTypes, s.Type) < 0)
                errors.Add(new("source.type", $"'{Clip(s.Type)}' is not a source type; expected one of {string.Join(", ", SourceTypes)}"));
            if (s.Reference is { Length: > 256 }) errors.Add(new("source.reference", "is longer than 256 characters"));
            else CheckNul(errors, "source.reference", s.Reference);
            if (s.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
                errors.Add(new("source.name", "must be 1–200 characters (the notifying organisation's name) when given"));
            else CheckNul(errors, "source.name", s.Name);
        }
        if (e.Visibility is not null && Array.IndexOf(Visibilities, e.Visibility) < 0)
            errors.Add(new("visibility", $"'{Clip(e.Visibility)}' is not a visibility; expected one of {string.Join(", ", Visibilities)}"));
        CheckMedia(errors, e.Media, uploads);
        return errors;
    }

    public List<FieldError> Validate(AccountProfile p)
    {
        var errors = new List<FieldError>();
        CheckId(errors, "id", p.Id, required: true);
        CheckText(errors, "handle", p.Handle);
        CheckText(errors, "displayName", p.DisplayName);
        CheckText(errors, "bio", p.Bio);
        CheckList(errors, "links", p.Links);
        // A profile is account state, not an item to moderate: a NUL is refused, naming the field.
        CheckNul(errors, "handle", p.Handle);
        CheckNul(errors, "displayName", p.DisplayName);
        CheckNul(errors, "bio", p.Bio);
        for (var i = 0; i < (p.Links?.Count ?? 0); i++) CheckNul(errors, $"links[{i}]", p.Links![i]);
        LinkedIdentifierTypes.Check(errors, "linkedIdentifiers", p.LinkedIdentifiers);
        if (p.Country is not null && !RegionCodes.IsAssigned(p.Country))
            errors.Add(new("country", $"'{Clip(p.Country)}' is not an assigned ISO 3166-1 alpha-2 code in upper case"));
        return errors;
    }

    private void CheckMedia(List<FieldError> errors, List<MediaRef>? media, IReadOnlyDictionary<string, StoredMedia>? uploads)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        if (media is not null)
        {
            if (media.Count > options.MaxMediaPerEvent)
                errors.Add(new("media", $"has {media.Count} items; at most {options.MaxMediaPerEvent} are accepted"));
            for (var i = 0; i < media.Count; i++)
            {
                var f = $"media[{i}]";
                var m = media[i];
                if (m is null) { errors.Add(new(f, "must be an object")); continue; }
                if (m.MimeType is not null && !MimePattern().IsMatch(m.MimeType))
                    errors.Add(new($"{f}.mimeType", $"'{Clip(m.MimeType)}' is not a media type (type/subtype)"));
                if (m.Sha256 is not null && !Sha256Pattern().IsMatch(m.Sha256))
                    errors.Add(new($"{f}.sha256", "must be 64 lowercase hexadecimal characters"));
                if ((m.Url is null) == (m.Part is null))
                {
                    errors.Add(new(f, "needs exactly one of url (to fetch) or part (the file name of an uploaded media part)"));
                    continue;
                }
                if (m.Url is not null)
                {
                    if (m.Url.Length > 4096) errors.Add(new($"{f}.url", "is longer than 4096 characters"));
                    else if (StorableText.HasNul(m.Url)) errors.Add(new($"{f}.url", StorableText.NulMessage));
                    else if (guard.CheckUrl(m.Url) is { } why) errors.Add(new($"{f}.url", why));
                    if (m.MimeType is null) errors.Add(new($"{f}.mimeType", "is required for media fetched by URL (it selects the size limit)"));
                    if (m.Size is not null) errors.Add(new($"{f}.size", "is set by the server for uploads; omit it"));
                    continue;
                }
                if (StorableText.HasNul(m.Part))
                {
                    errors.Add(new($"{f}.part", StorableText.NulMessage));
                    continue;
                }
                if (uploads is null || !uploads.TryGetValue(m.Part!, out var stored))
                {
                    errors.Add(new($"{f}.part", $"names '{Clip(m.Part!)}', but no media part with that file name was uploaded"));
                    continue;
                }
                referenced.Add(m.Part!);
                if (m.Sha256 is not null && m.Sha256 != stored.Sha256)
                    errors.Add(new($"{f}.sha256", $"does not match the uploaded file (its SHA-256 is {stored.Sha256})"));
                m.MimeType ??= stored.ContentType;
                var limit = options.MaxMediaBytes(m.MimeType);
                if (stored.Size > limit) errors.Add(new($"{f}.part", $"is {stored.Size} bytes; the limit for {m.MimeType ?? "this type"} is {limit} bytes"));
                if (stored.Size == 0) errors.Add(new($"{f}.part", "is an empty file"));
                m.Sha256 = stored.Sha256;
                m.Size = stored.Size;
            }
        }
        if (uploads is not null)
            foreach (var name in uploads.Keys)
                if (!referenced.Contains(name))
                    errors.Add(new("media", $"uploaded part '{Clip(name)}' is not referenced by any media item"));
    }

    private static void CheckId(List<FieldError> errors, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required) errors.Add(new(field, "is required"));
            return;
        }
        if (!IdPattern().IsMatch(value))
            errors.Add(new(field, value.Length > 128
                ? $"is {value.Length} characters long; at most 128 are allowed"
                : "must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'"));
    }

    private void CheckText(List<FieldError> errors, string field, string? value)
    {
        if (value is null) return;
        // Cheap bound first: a UTF-8 encoding is at most 3 bytes per UTF-16 unit.
        if (value.Length * 3 <= options.MaxFieldBytes) return;
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > options.MaxFieldBytes)
            errors.Add(new(field, $"is {bytes} bytes of UTF-8; at most {options.MaxFieldBytes} are accepted"));
    }

    private void CheckList(List<FieldError> errors, string field, List<string>? values)
    {
        if (values is null) return;
        if (values.Count > options.MaxListItems) errors.Add(new(field, $"has {values.Count} items; at most {options.MaxListItems} are accepted"));
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null) errors.Add(new($"{field}[{i}]", "must be a string"));
            else CheckText(errors, $"{field}[{i}]", values[i]);
        }
    }

    private static void CheckNul(List<FieldError> errors, string field, string? value)
    {
        if (StorableText.HasNul(value)) errors.Add(new(field, StorableText.NulMessage));
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
