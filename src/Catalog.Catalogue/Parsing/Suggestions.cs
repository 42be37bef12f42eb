using System;
using System.Collections.Generic;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>"Did you mean" for unknown keys and names: the nearest candidate by edit distance.</summary>
    public static class Suggestions
    {
        public static string? Nearest(string input, IEnumerable<string> candidates)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                var distance = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }

            var limit = Math.Max(2, input.Length / 3);
            return bestDistance <= limit ? best : null;
        }

        public static string DidYouMean(string input, IEnumerable<string> candidates)
        {
            var nearest = Nearest(input, candidates);
            return nearest is null ? string.Empty : $"; did you mean '{nearest}'?";
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }
    }
}
