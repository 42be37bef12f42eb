namespace Catalog.Ledger;

/// <summary>[From, To) within one UTC day.</summary>
public readonly record struct DayPart(DateTimeOffset From, DateTimeOffset To)
{
    public DateOnly Day => DateOnly.FromDateTime(From.UtcDateTime);

    public DateTimeOffset DayStart => DayParts.Start(Day);

    public DateTimeOffset DayEnd => DayParts.Start(Day.AddDays(1));
}

/// <summary>
/// [from, to) cut at UTC midnights: the whole days [<see cref="WholeFrom"/>, <see cref="WholeTo"/>) the rollups
/// answer, and the part of a day at either end (<see cref="Head"/>, <see cref="Tail"/>) only the calls answer.
/// </summary>
public readonly record struct DayParts(DateOnly WholeFrom, DateOnly WholeTo, DayPart? Head, DayPart? Tail)
{
    public static DayParts Of(DateTimeOffset from, DateTimeOffset to)
    {
        var headEnd = Min(Ceiling(from), to);
        var tailStart = Max(Floor(to), headEnd);
        var whole = headEnd < tailStart
            ? (From: Day(headEnd), To: Day(tailStart))
            : (From: Day(from), To: Day(from));
        return new DayParts(
            whole.From,
            whole.To,
            from < headEnd ? new DayPart(from, headEnd) : null,
            tailStart < to ? new DayPart(tailStart, to) : null);
    }

    /// <summary>The partial days, head first.</summary>
    public IEnumerable<DayPart> Parts => new[] { Head, Tail }.OfType<DayPart>();

    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static DateTimeOffset Floor(DateTimeOffset at) => Start(Day(at));

    private static DateTimeOffset Ceiling(DateTimeOffset at) => Floor(at) == at ? at : Floor(at).AddDays(1);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
