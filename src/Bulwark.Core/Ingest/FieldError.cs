namespace Bulwark.Core.Ingest;

/// <summary>A validation failure for one field, named by its JSON path relative to the event (e.g. <c>media[0].url</c>).</summary>
public readonly record struct FieldError(string Field, string Message)
{
    public FieldError Prefixed(string prefix) => this with { Field = Field.Length == 0 ? prefix : $"{prefix}.{Field}" };
}
