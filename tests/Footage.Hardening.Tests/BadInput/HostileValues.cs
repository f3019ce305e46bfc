namespace Footage.Hardening.Tests.BadInput;

/// <summary>The strings and numbers a careless or hostile client sends, by kind.</summary>
public static class HostileValues
{
    public static readonly string[] NotUuids =
    [
        "", " ", "0", "-1", "abc", "not-a-uuid", "{}", "null", "undefined", "true",
        "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
        "6f1c2a3e4b5d6e7f8a9b0c1d2e3f4a5b6c", "%00", "%ff%fe", "\u00e9\u00e8", "\U0001F4F7", "1e400", "NaN",
    ];

    public static readonly string[] PathTraversal =
    [
        "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..\\..\\windows\\win.ini",
        "....//....//etc/passwd", "/etc/passwd", "file:///etc/passwd", "..", ".", "%2e%2e", "a/../../b", "~/.ssh/id_rsa",
        "cctv-recordings/../cctv-exports/x", "\u002e\u002e\u2215etc", "..%c0%af..%c0%afetc", "..;/..;/etc",
    ];

    public static readonly string[] SqlInjection =
    [
        "' OR '1'='1", "'; DROP TABLE segments; --", "\" OR \"\"=\"", "1; DELETE FROM cameras", "' UNION SELECT key_hash FROM api_keys --",
        "%' AND 1=1 --", "') OR ('x'='x", "1' WAITFOR DELAY '0:0:5'--", "'||pg_sleep(5)||'", "$$; SELECT 1; $$", "\\'; --", "*/ OR /*",
    ];

    public static readonly string[] HeaderInjection =
    [
        "a\r\nSet-Cookie: x=1", "a\nLocation: http://evil", "a\rX: y", "%0d%0aSet-Cookie:%20x=1", "a\u0000b", "\u2028\u2029", "\u0085",
        "a\"; filename=\"evil.sh", "x\tY", "\u001b[31mred",
    ];

    public static readonly string[] BadInstants =
    [
        "", "now", "yesterday", "2026-11-24", "2026-11-24T10:00:00", "2026-13-45T25:61:61Z", "0000-00-00T00:00:00Z", "1970-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "-0001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "2026-11-24T10:00:00+99:00",
        "2026-11-24T10:00:00+14:01", "99999999999", "-99999999999", "1e308", "2026-11-24T10:00:00.000000000000000000001Z", "2026-02-30T00:00:00Z",
    ];

    public static readonly string[] BadNumbers =
    [
        "-1", "0", "-2147483649", "2147483648", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1e309", "-0",
        "NaN", "Infinity", "0x10", "1.5", "1,5", " 1", "1 ", "+1", "", "١٢", "\uff11",
    ];

    public static readonly string[] RangeHeaders =
    [
        "bytes=0-99999999999999999999999", "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=5-2", "bytes=-0", "bytes=0--1",
        "bytes=9223372036854775807-9223372036854775807", "bytes=9223372036854775806-", "bytes=-9223372036854775808", "bytes=1-0,5-4",
        "bytes=" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"{i * 2}-{(i * 2) + 1}")), "bytes=abc", "items=0-10", "bytes 0-10",
        "bytes=0-0,-1", "bytes=0-", "bytes=-1", "bytes=18446744073709551616-18446744073709551617", "bytes=,", "bytes==0-1",
    ];

    public static readonly string[] Miscellaneous =
    [
        new string('a', 5000), new string('\u00e9', 3000), "\uFFFD\uFFFE", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}",
        "%s%s%s%n", "javascript:alert(1)", "rtsp://user:pass@127.0.0.1:1/x", "http://169.254.169.254/latest/meta-data/", "\u202Eexe.mp4",
    ];
}
