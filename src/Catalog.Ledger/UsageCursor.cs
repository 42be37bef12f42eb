using System.Globalization;
using System.Text;

namespace Catalog.Ledger;

/// <summary>
/// The paging cursor of <see cref="IUsageStore.ListAsync"/>: the (timestamp, id) of the last record of
/// a page, opaque to clients (base64url of <c>ticks|id</c>). Every store orders by the same pair.
/// </summary>
public static class UsageCursor
{
    private const int TicksDigits = 19;

    public static string Encode(UsageRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(SortKey(last.Timestamp) + "|" + last.Id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="FormatException">The cursor is not one <see cref="Encode"/> made.</exception>
    public static (DateTimeOffset At, string Id) Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var key = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            if (key.Length > TicksDigits + 1 && key[TicksDigits] == '|' && long.TryParse(key.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), key[(TicksDigits + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException("the cursor is not one this server returned; pass next_cursor from the previous page unchanged");
    }

    /// <summary>A time as a fixed-width string that sorts as the time does.</summary>
    public static string SortKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
