namespace Bulwark.Core.Signals.Entities.Importers;

public enum ListIssueSeverity
{
    /// <summary>The input is not acceptable as it stands; an import must refuse it.</summary>
    Error,
    /// <summary>Accepted, but worth showing to whoever runs the import.</summary>
    Warning,
}

/// <summary>A problem with one record or row. <paramref name="Line"/> is 1-based (0 when unknown); <paramref name="Key"/> names the record when known.</summary>
public sealed record ListParseIssue(ListIssueSeverity Severity, int Line, string? Key, string Message)
{
    public override string ToString() =>
        $"{Severity} at line {Line}{(Key is null ? "" : $" (record {Key})")}: {Message}";
}

/// <summary>The records a parser read and every problem it found. Imports are all-or-nothing: refuse when <see cref="HasErrors"/>.</summary>
public sealed record ListParseResult(IReadOnlyList<ListedRecord> Records, IReadOnlyList<ListParseIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == ListIssueSeverity.Error);

    public IEnumerable<ListParseIssue> Errors => Issues.Where(i => i.Severity == ListIssueSeverity.Error);

    /// <summary>Throws a <see cref="ListFormatException"/> listing the errors (at most 20) when there are any.</summary>
    public ListParseResult EnsureValid()
    {
        var errors = Errors.ToList();
        if (errors.Count == 0) return this;
        var shown = string.Join(Environment.NewLine, errors.Take(20));
        var more = errors.Count > 20 ? $"{Environment.NewLine}... and {errors.Count - 20} more" : "";
        throw new ListFormatException($"The list has {errors.Count} error(s):{Environment.NewLine}{shown}{more}");
    }
}

/// <summary>Limits every list parser applies.</summary>
public sealed record ListParserOptions
{
    /// <summary>Maximum bytes read from the input (default 256 MiB; the UN list is about 2 MB, the EU list about 25 MB).</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    public static ListParserOptions Default { get; } = new();
}

/// <summary>The input cannot be read as a list at all: malformed XML, invalid encoding, DTDs, size limit, wrong structure.</summary>
public sealed class ListFormatException : Exception
{
    public ListFormatException(string message, int? line = null, int? position = null, long? byteOffset = null, Exception? inner = null)
        : base(message, inner)
    {
        Line = line;
        Position = position;
        ByteOffset = byteOffset;
    }

    public ListFormatException() : this("The list could not be read.") { }

    public ListFormatException(string message) : this(message, null, null, null, null) { }

    public ListFormatException(string message, Exception inner) : this(message, null, null, null, inner) { }

    public int? Line { get; }
    public int? Position { get; }
    public long? ByteOffset { get; }
}
