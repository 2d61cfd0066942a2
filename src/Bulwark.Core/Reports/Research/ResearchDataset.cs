using System.Linq.Expressions;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Research;

/// <summary>A condition of the query object: <c>{field_name, operation, field_values}</c>.</summary>
public sealed record Condition(string FieldName, string Operation, IReadOnlyList<string> FieldValues);

/// <summary>The query object's three lists: all of <c>and</c>, at least one of <c>or</c> (when given), none of <c>not</c>.</summary>
public sealed record QueryConditions(IReadOnlyList<Condition> And, IReadOnlyList<Condition> Or, IReadOnlyList<Condition> Not)
{
    public static readonly QueryConditions Empty = new([], [], []);
    public IEnumerable<Condition> All => And.Concat(Or).Concat(Not);
}

/// <summary>An inclusive window of UTC days.</summary>
public sealed record DateWindow(DateOnly Start, DateOnly End);

/// <summary>A query translated for one dataset, ready to run; opaque outside the dataset.</summary>
public abstract class PreparedQuery;

/// <summary>
/// Where a page ended in a search's order: the order value (the windowed column, or the sampled permutation's value) and the
/// row key of the last row returned. The next page starts strictly after it (keyset paging: no OFFSET, so rows leaving the
/// result between pages neither shift nor repeat what follows).
/// </summary>
public readonly record struct PagePosition(long Order, long Key);

public sealed record QueryPage(IReadOnlyList<IReadOnlyDictionary<string, object?>> Items, bool HasMore, PagePosition? Last);

public sealed record GroupCount(IReadOnlyList<string?> Keys, long Count);

/// <summary>
/// A catalogue entry: its fields, the privacy filter every answer passes through (<see cref="ResearchDataset{TRow}"/>'s
/// source), and how its rows are queried, paged and counted.
/// </summary>
public abstract class ResearchDataset
{
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    /// <summary><c>query</c> (items and aggregates) or <c>aggregate</c> (aggregates only).</summary>
    public required string Modality { get; init; }
    public required Sensitivity Sensitivity { get; init; }
    /// <summary>The field the date window applies to; null when the dataset has no date window.</summary>
    public string? DateField { get; init; }
    public IReadOnlyList<FieldChange> Changelog { get; init; } = [new("1.0", "Introduced.")];
    public abstract IReadOnlyList<ResearchField> Fields { get; }
    public bool Queryable => Modality == "query";

    public ResearchField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Translates the conditions (and window); the error names the offending field or operation.</summary>
    public abstract (PreparedQuery? Query, string? Error) Prepare(QueryConditions conditions, DateWindow? window);

    /// <summary>The highest row key visible now: a new search's snapshot.</summary>
    public abstract Task<long> WatermarkAsync(BulwarkDbContext db, CancellationToken ct);

    /// <summary>The next <paramref name="count"/> rows of the snapshot up to <paramref name="watermark"/> after <paramref name="after"/> (null: from the start).</summary>
    public abstract Task<QueryPage> PageAsync(
        BulwarkDbContext db, PreparedQuery query, long watermark, long? randomSeed, PagePosition? after, int count,
        IReadOnlyList<string> fields, ReadContext context, CancellationToken ct);

    public abstract Task<List<GroupCount>> CountAsync(BulwarkDbContext db, PreparedQuery query, IReadOnlyList<string> groupBy, CancellationToken ct);
}

public sealed class ResearchDataset<TRow> : ResearchDataset where TRow : class
{
    public required Func<BulwarkDbContext, IQueryable<TRow>> Source { get; init; }
    public required Expression<Func<TRow, long>> Key { get; init; }
    public Func<DateWindow, Expression<Func<TRow, bool>>>? Window { get; init; }
    /// <summary>
    /// Pages are ordered by this, then by <see cref="Key"/>: the windowed column, so the database range-scans the window's
    /// index instead of walking every row in key order (about four times fewer rows at the benchmark's selectivity).
    /// </summary>
    public Expression<Func<TRow, int>>? Order { get; init; }
    public required IReadOnlyList<ResearchField<TRow>> TypedFields { get; init; }
    public override IReadOnlyList<ResearchField> Fields => TypedFields;

    private sealed class Prepared(Expression<Func<TRow, bool>> filter) : PreparedQuery
    {
        public Expression<Func<TRow, bool>> Filter { get; } = filter;
    }

    /// <summary>The translated filter, for tests that compare the database's answer with the same expression run in memory.</summary>
    public Expression<Func<TRow, bool>> FilterOf(PreparedQuery query) => ((Prepared)query).Filter;

    public override (PreparedQuery? Query, string? Error) Prepare(QueryConditions conditions, DateWindow? window)
    {
        var row = Expression.Parameter(typeof(TRow), "r");
        Expression body = Expression.Constant(true);
        if (window is not null && Window is not null)
            body = Expression.AndAlso(body, Inline(Window(window), row));
        Expression? any = null;
        foreach (var (list, kind) in new[] { (conditions.And, "and"), (conditions.Or, "or"), (conditions.Not, "not") })
        {
            foreach (var c in list)
            {
                if (TypedFields.FirstOrDefault(f => f.Name == c.FieldName) is not { } field)
                    return (null, $"{kind}: unknown field_name '{Clip(c.FieldName)}' for dataset '{Name}'; see GET /research/v1/catalogue");
                if (!Operations.All.Contains(c.Operation))
                    return (null, $"{kind}: unknown operation '{Clip(c.Operation)}'; expected one of {string.Join(", ", Operations.All)}");
                var (test, error) = field.Condition(row, c.Operation, c.FieldValues);
                if (error is not null) return (null, $"{kind}: {error}");
                switch (kind)
                {
                    case "and": body = Expression.AndAlso(body, test!); break;
                    case "or": any = any is null ? test : Expression.OrElse(any, test!); break;
                    default: body = Expression.AndAlso(body, Expression.Not(test!)); break;
                }
            }
        }
        if (any is not null) body = Expression.AndAlso(body, any);
        return (new Prepared(Expression.Lambda<Func<TRow, bool>>(body, row)), null);
    }

    public override async Task<long> WatermarkAsync(BulwarkDbContext db, CancellationToken ct) =>
        await Source(db).Select(Key).OrderByDescending(k => k).FirstOrDefaultAsync(ct);

    public override async Task<QueryPage> PageAsync(
        BulwarkDbContext db, PreparedQuery query, long watermark, long? randomSeed, PagePosition? after, int count,
        IReadOnlyList<string> fields, ReadContext context, CancellationToken ct)
    {
        var filtered = Source(db).Where(((Prepared)query).Filter).Where(UpTo(watermark));
        IOrderedQueryable<TRow> ordered;
        Func<TRow, long> orderOf;
        if (randomSeed is { } seed)
        {
            // A keyed permutation of the keys, computed by the database: a sample that the same search_id repeats exactly. The
            // multiplier is large (it was 7,919, under which keys below about 126 kept their order: no sample at all on a small
            // table); any multiplier not divisible by the prime 1,000,003 permutes, and the product stays far inside a long.
            var mixSeed = seed % 1_000_003;
            var s = new QueryParameter<long>(mixSeed);
            var mix = Expression.Lambda<Func<TRow, long>>(
                Expression.Modulo(
                    Expression.Add(Expression.Multiply(Expression.Modulo(Key.Body, Expression.Constant(1_000_003L)), Expression.Constant(611_953L)),
                        Expression.Field(Expression.Constant(s), nameof(QueryParameter<long>.Value))),
                    Expression.Constant(1_000_003L)), Key.Parameters);
            if (after is { } a) filtered = filtered.Where(After(mix, a.Order, a.Key));
            ordered = filtered.OrderBy(mix).ThenBy(Key);
            var key = KeyOf;
            orderOf = r => (key(r) % 1_000_003L * 611_953L + mixSeed) % 1_000_003L;
        }
        else if (Order is not null && after is { } position && db.Provider == DatabaseProvider.Postgres)
        {
            // A row-value comparison, (order, key) > (o, k): PostgreSQL takes it as an index condition and starts the scan of the
            // (order, key) index exactly at the position. Written as order >= o AND (order > o OR key > k) it started at the
            // beginning of day o and fetched, then discarded, every row of that day before the position, on every page (24,148
            // rows at cursor 1,600 of the 10-million benchmark: 450 ms; docs/benchmarks.md).
            filtered = filtered.Where(RowAfter(checked((int)position.Order), position.Key));
            ordered = filtered.OrderBy(Order).ThenBy(Key);
            var compiled = OrderOf;
            orderOf = r => compiled(r);
        }
        else if (Order is not null && after is { } from)
        {
            // SQLite (no row-value translation in EF): two index range scans instead of one scan with an OR: first the rest of
            // the position's own order value (order = o AND key > k, in key order), then, when that does not fill the page, the
            // order values after it (order > o).
            var o = checked((int)from.Order);
            var rows0 = await filtered.Where(OrderIs(o, equal: true)).Where(After(Key, from.Key)).OrderBy(Key).Take(count + 1).AsNoTracking().ToListAsync(ct);
            if (rows0.Count <= count)
                rows0.AddRange(await filtered.Where(OrderIs(o, equal: false)).OrderBy(Order).ThenBy(Key).Take(count + 1 - rows0.Count).AsNoTracking().ToListAsync(ct));
            var compiledOrder = OrderOf;
            return Page(rows0, count, fields, context, after, r => compiledOrder(r));
        }
        else if (Order is not null)
        {
            ordered = filtered.OrderBy(Order).ThenBy(Key);
            var compiled = OrderOf;
            orderOf = r => compiled(r);
        }
        else
        {
            if (after is { } a) filtered = filtered.Where(After(Key, a.Key));
            ordered = filtered.OrderBy(Key);
            orderOf = KeyOf;
        }
        var rows = await ordered.Take(count + 1).AsNoTracking().ToListAsync(ct);
        return Page(rows, count, fields, context, after, orderOf);
    }

    /// <summary>The first <paramref name="count"/> of <paramref name="rows"/> (read one further to know whether more follow) as items.</summary>
    private QueryPage Page(List<TRow> rows, int count, IReadOnlyList<string> fields, ReadContext context, PagePosition? after, Func<TRow, long> orderOf)
    {
        var readers = fields.Select(f => TypedFields.First(x => x.Name == f)).ToList();
        var page = rows.Take(count).ToList();
        var items = page.Select(r => (IReadOnlyDictionary<string, object?>)readers.ToDictionary(f => f.Name, f => f.Read!(r, context))).ToList();
        PagePosition? last = page.Count == 0 ? after : new PagePosition(orderOf(page[^1]), KeyOf(page[^1]));
        return new QueryPage(items, rows.Count > count, last);
    }

    /// <summary><c>(order, key) &gt; (o, k)</c> as a PostgreSQL row-value comparison (EF.Functions.GreaterThan of two tuples).</summary>
    private Expression<Func<TRow, bool>> RowAfter(int order, long key)
    {
        Expression<Func<int, long, int, long, bool>> template = (ord, k, o, kk) =>
            EF.Functions.GreaterThan(ValueTuple.Create(ord, k), ValueTuple.Create(o, kk));
        var row = Key.Parameters[0];
        var body = new Substitute(new Dictionary<ParameterExpression, Expression>
        {
            [template.Parameters[0]] = Inline(Order!, row), [template.Parameters[1]] = Key.Body,
            [template.Parameters[2]] = Parameter(order), [template.Parameters[3]] = Parameter(key),
        }).Visit(template.Body);
        return Expression.Lambda<Func<TRow, bool>>(body, row);
    }

    private sealed class Substitute(Dictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var e) ? e : base.VisitParameter(node);
    }

    /// <summary>Rows whose order value equals <paramref name="order"/> (or, with <paramref name="equal"/> false, is above it).</summary>
    private Expression<Func<TRow, bool>> OrderIs(int order, bool equal)
    {
        var row = Key.Parameters[0];
        var ord = Inline(Order!, row);
        var o = Parameter(order);
        return Expression.Lambda<Func<TRow, bool>>(equal ? Expression.Equal(ord, o) : Expression.GreaterThan(ord, o), row);
    }

    private Func<TRow, long>? _keyOf;
    private Func<TRow, int>? _orderOf;
    private Func<TRow, long> KeyOf => _keyOf ??= Key.Compile();
    private Func<TRow, int> OrderOf => _orderOf ??= Order!.Compile();

    /// <summary>Rows whose key is after <paramref name="key"/>.</summary>
    private Expression<Func<TRow, bool>> After(Expression<Func<TRow, long>> keyExpr, long key) =>
        Expression.Lambda<Func<TRow, bool>>(Expression.GreaterThan(keyExpr.Body, Parameter(key)), keyExpr.Parameters);

    /// <summary>
    /// Rows strictly after (<paramref name="order"/>, <paramref name="key"/>) in (order, key) order, written as
    /// <c>order &gt;= o AND (order &gt; o OR key &gt; k)</c> so the database can start a range scan of the (order, key) index at
    /// <c>o</c> on every provider (no row-value comparison needed).
    /// </summary>
    private Expression<Func<TRow, bool>> After<T>(Expression<Func<TRow, T>> orderExpr, T order, long key)
    {
        var row = Key.Parameters[0];
        var ord = Inline(orderExpr, row);
        var o = Parameter(order);
        var body = Expression.AndAlso(Expression.GreaterThanOrEqual(ord, o),
            Expression.OrElse(Expression.GreaterThan(ord, o), Expression.GreaterThan(Key.Body, Parameter(key))));
        return Expression.Lambda<Func<TRow, bool>>(body, row);
    }

    private static MemberExpression Parameter<T>(T value) =>
        Expression.Field(Expression.Constant(new QueryParameter<T>(value)), nameof(QueryParameter<T>.Value));

    public override async Task<List<GroupCount>> CountAsync(BulwarkDbContext db, PreparedQuery query, IReadOnlyList<string> groupBy, CancellationToken ct)
    {
        var filtered = Source(db).Where(((Prepared)query).Filter);
        var columns = groupBy.Select(g => TypedFields.First(f => f.Name == g).Column!).ToList();
        // One or two group-by columns; a single one is paired with a constant so one generic shape serves both.
        var second = columns.Count > 1 ? columns[1] : (Expression<Func<TRow, int>>)(_ => 0);
        var method = typeof(ResearchDataset<TRow>).GetMethod(nameof(GroupAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(columns[0].ReturnType, second.ReturnType);
        var counts = await (Task<List<GroupCount>>)method.Invoke(null, [filtered, columns[0], second, ct])!;
        return columns.Count > 1 ? counts : counts.Select(c => new GroupCount([c.Keys[0]], c.Count)).ToList();
    }

    private static async Task<List<GroupCount>> GroupAsync<T1, T2>(IQueryable<TRow> rows, LambdaExpression first, LambdaExpression second, CancellationToken ct)
    {
        var r = Expression.Parameter(typeof(TRow), "r");
        var keyType = typeof(GroupKey<T1, T2>);
        var key = Expression.Lambda<Func<TRow, GroupKey<T1, T2>>>(Expression.MemberInit(Expression.New(keyType),
            Expression.Bind(keyType.GetProperty(nameof(GroupKey<T1, T2>.A))!, Inline(first, r)),
            Expression.Bind(keyType.GetProperty(nameof(GroupKey<T1, T2>.B))!, Inline(second, r))), r);
        var groups = await rows.GroupBy(key).Select(g => new { g.Key.A, g.Key.B, N = g.LongCount() }).ToListAsync(ct);
        return groups.Select(g => new GroupCount([Format(g.A), Format(g.B)], g.N)).ToList();
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private Expression<Func<TRow, bool>> UpTo(long watermark)
    {
        var w = new QueryParameter<long>(watermark);
        return Expression.Lambda<Func<TRow, bool>>(
            Expression.LessThanOrEqual(Key.Body, Expression.Field(Expression.Constant(w), nameof(QueryParameter<long>.Value))), Key.Parameters);
    }

    private static Expression Inline(LambdaExpression lambda, ParameterExpression row) => new Replace(lambda.Parameters[0], row).Visit(lambda.Body);

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>A group of an aggregate: translated by EF as the GROUP BY columns.</summary>
public sealed class GroupKey<T1, T2>
{
    public T1 A { get; set; } = default!;
    public T2 B { get; set; } = default!;
}
