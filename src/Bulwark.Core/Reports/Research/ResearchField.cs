using System.Globalization;
using System.Linq.Expressions;

namespace Bulwark.Core.Reports.Research;

/// <summary>The JSON type of a field's value in answers (and of its <c>field_values</c> in queries).</summary>
public enum FieldType { String, Integer, Boolean, Date, Timestamp, StringList }

/// <summary>How sensitive a field is, which decides how it may be granted (docs/research-api.md).</summary>
public enum Sensitivity
{
    /// <summary>Already public on the platform (e.g. a public caption, a designated group's listed name).</summary>
    Public,
    /// <summary>An identifier replaced by a per-project keyed hash: stable within a project, unlinkable across projects.</summary>
    Pseudonymised,
    /// <summary>A moderation record about public content (outcome, policy, automation).</summary>
    Moderation,
    /// <summary>Served only as counts with small cells suppressed.</summary>
    Aggregate,
}

public static class Operations
{
    public const string Eq = "EQ", In = "IN", Gt = "GT", Gte = "GTE", Lt = "LT", Lte = "LTE";
    public static readonly string[] All = [Eq, In, Gt, Gte, Lt, Lte];
    public static readonly string[] Equality = [Eq, In];
}

/// <summary>One entry of a field's changelog (catalogue version, what changed).</summary>
public sealed record FieldChange(string Version, string Note);

/// <summary>How a condition on a field is matched.</summary>
public enum FilterKind
{
    /// <summary>The column compared with the value (EQ, IN, and for numbers and dates GT…LTE).</summary>
    Compare,
    /// <summary>The text contains the value, case-insensitively (EQ; IN = any of them).</summary>
    Keyword,
    /// <summary>One of the item's hashtags is exactly the value (without '#', case-insensitive).</summary>
    Hashtag,
}

/// <summary>
/// One field of a dataset: the single definition the query translator, the answer writer, the catalogue and the codebook all
/// read, so they cannot drift. A field may be returned (<see cref="Read"/>), filtered (<see cref="Filter"/>) and grouped
/// (<see cref="Groupable"/>).
/// </summary>
public abstract class ResearchField
{
    public required string Name { get; init; }
    public required FieldType Type { get; init; }
    public required Sensitivity Sensitivity { get; init; }
    public required string Description { get; init; }
    public IReadOnlyList<FieldChange> Changelog { get; init; } = [new("1.0", "Introduced.")];
    /// <summary>Operations allowed in query conditions; empty = the field cannot be filtered on.</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];
    public bool Returned { get; init; } = true;
    public bool Groupable { get; init; }
    /// <summary>Suggested access modality shown in the catalogue.</summary>
    public string Modality => Sensitivity == Sensitivity.Aggregate ? "aggregate" : "query";
}

/// <summary>Per-answer context a field's reader needs (the project's pseudonymiser).</summary>
public sealed record ReadContext(Pseudonymiser Pseudonyms);

public sealed class ResearchField<TRow> : ResearchField
{
    /// <summary>The column filtered and grouped on, as an expression EF translates.</summary>
    public LambdaExpression? Column { get; init; }
    public FilterKind Filter { get; init; } = FilterKind.Compare;
    public Func<TRow, ReadContext, object?>? Read { get; init; }

    /// <summary>
    /// Builds the condition for one query condition. Values are wrapped in a closure object so EF sends them as parameters,
    /// never as SQL text. Returns an error message naming the problem instead when a value does not fit the field.
    /// </summary>
    public (Expression? Body, string? Error) Condition(ParameterExpression row, string operation, IReadOnlyList<string> values)
    {
        if (Column is null || !Operations.Contains(operation))
            return (null, $"field '{Name}' does not support operation '{operation}'; it supports {(Operations.Count == 0 ? "none (it cannot be filtered on)" : string.Join(", ", Operations))}");
        if (values.Count == 0) return (null, $"field_values for '{Name}' is empty");
        if (operation != Research.Operations.In && values.Count != 1)
            return (null, $"operation {operation} on '{Name}' takes exactly one value, got {values.Count}");
        if (values.Count > 100) return (null, $"field_values for '{Name}' has {values.Count} values; at most 100");
        var column = new ParameterReplacer(Column.Parameters[0], row).Visit(Column.Body);
        switch (Filter)
        {
            case FilterKind.Keyword:
            case FilterKind.Hashtag:
                Expression? any = null;
                foreach (var v in values)
                {
                    if (string.IsNullOrWhiteSpace(v) || v.Length > 200) return (null, $"a value for '{Name}' must be 1–200 characters");
                    var needle = Filter == FilterKind.Hashtag ? "|" + v.TrimStart('#').ToLowerInvariant() + "|" : v.ToLowerInvariant();
                    var target = Filter == FilterKind.Hashtag ? column : Expression.Call(column, nameof(string.ToLower), System.Type.EmptyTypes);
                    var contains = Expression.Call(target, typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!, Parameter(needle));
                    var test = Expression.AndAlso(Expression.NotEqual(column, Expression.Constant(null, typeof(string))), contains);
                    any = any is null ? test : Expression.OrElse(any, test);
                }
                return (any, null);
            default:
                var type = column.Type;
                var parsed = new List<object>();
                foreach (var v in values)
                {
                    if (!TryParse(v, Nullable.GetUnderlyingType(type) ?? type, out var value))
                        return (null, $"'{Clip(v)}' is not a valid value for '{Name}' ({Describe()})");
                    parsed.Add(value!);
                }
                if (operation == Research.Operations.In)
                {
                    var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type))!;
                    foreach (var p in parsed) list.Add(p);
                    var contains = typeof(Enumerable).GetMethods().First(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(type);
                    return (Expression.Call(contains, Parameter(list, list.GetType()), column), null);
                }
                var param = Parameter(parsed[0], type);
                return (operation switch
                {
                    Research.Operations.Eq => Expression.Equal(column, param),
                    Research.Operations.Gt => Expression.GreaterThan(column, param),
                    Research.Operations.Gte => Expression.GreaterThanOrEqual(column, param),
                    Research.Operations.Lt => Expression.LessThan(column, param),
                    _ => Expression.LessThanOrEqual(column, param),
                }, null);
        }
    }

    private string Describe() => Type switch
    {
        FieldType.Date => "a date as YYYYMMDD",
        FieldType.Integer => "an integer",
        FieldType.Boolean => "true or false",
        _ => "a string",
    };

    private bool TryParse(string text, Type type, out object? value)
    {
        value = null;
        if (type == typeof(string)) { value = text; return text.Length <= 200; }
        if (type == typeof(bool)) { if (bool.TryParse(text, out var b)) value = b; return value is not null; }
        if (type == typeof(int))
        {
            if (Type == FieldType.Date)
            {
                if (!DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
                value = d.Year * 10000 + d.Month * 100 + d.Day;
                return true;
            }
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) value = i;
            return value is not null;
        }
        if (type == typeof(long)) { if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) value = l; return value is not null; }
        return false;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>A value EF sends as a query parameter: a member of a closure object, not a constant.</summary>
    private static Expression Parameter(object value, Type? type = null)
    {
        var t = type ?? value.GetType();
        var box = Activator.CreateInstance(typeof(QueryParameter<>).MakeGenericType(t), value)!;
        return Expression.Field(Expression.Constant(box), "Value");
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>Holds a query value; EF turns a member of a captured object into a SQL parameter.</summary>
internal sealed class QueryParameter<T>(T value)
{
    public T Value = value;
}
