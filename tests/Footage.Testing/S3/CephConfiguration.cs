using System.Globalization;
using System.Text;

namespace Footage.Testing;

/// <summary>
/// ceph.conf of the throwaway cluster: no cephx inside it (radosgw still checks SigV4), every file in its own folder,
/// one replica, objects in the OSD's memory, radosgw on 127.0.0.1.
/// </summary>
internal static class CephConfiguration
{
    public static string Write(string folder, Guid fsid, int monitorPort, int gatewayPort, long memstoreBytes, TimeSpan? lifecycleDay)
    {
        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine("[global]")
            .AppendLine($"fsid = {fsid}")
            .AppendLine($"mon host = v2:127.0.0.1:{N(monitorPort)}")
            .AppendLine("public addr = 127.0.0.1")
            .AppendLine("cluster addr = 127.0.0.1")
            .AppendLine("ms bind msgr1 = false")
            .AppendLine("auth cluster required = none")
            .AppendLine("auth service required = none")
            .AppendLine("auth client required = none")
            // radosgw asks the monitor for a "secure" connection by default, which auth "none" cannot give: it would wait for ever
            .AppendLine("ms mon client mode = crc")
            .AppendLine($"run dir = {folder}/run")
            .AppendLine($"admin socket = {folder}/run/$name.asok")
            .AppendLine($"pid file = {folder}/run/$name.pid")
            .AppendLine($"log file = {folder}/log/$name.log")
            .AppendLine($"crash dir = {folder}/crash")
            .AppendLine($"mon data = {folder}/mon/$id")
            .AppendLine($"osd data = {folder}/osd/$id")
            .AppendLine($"mon cluster log file = default={folder}/log/cluster.$channel.log cluster={folder}/log/cluster.log")
            .AppendLine("osd objectstore = memstore")
            .AppendLine($"memstore device bytes = {N(memstoreBytes)}")
            .AppendLine("osd pool default size = 1")
            .AppendLine("osd pool default min size = 1")
            .AppendLine("mon allow pool size one = true")
            .AppendLine("mon warn on pool no redundancy = false")
            .AppendLine("mon warn on insecure global id reclaim allowed = false")
            .AppendLine("osd pool default pg num = 8")
            .AppendLine("osd pool default pgp num = 8")
            .AppendLine("osd pool default pg autoscale mode = off")
            .AppendLine("mon max pg per osd = 1000")
            .AppendLine("osd crush chooseleaf type = 0")
            .AppendLine("paxos propose interval = 0.1")
            .AppendLine("mon allow pool delete = true")
            .AppendLine("[client]")
            .AppendLine($"admin socket = {folder}/run/$name.$pid.asok")
            .AppendLine("[client.rgw]")
            .AppendLine($"admin socket = {folder}/run/rgw.asok")
            .AppendLine($"rgw data = {folder}/rgw")
            .AppendLine($"rgw frontends = beast endpoint=127.0.0.1:{N(gatewayPort)}")
            .AppendLine("rgw thread pool size = 64")
            .AppendLine($"rgw luarocks location = {folder}/rgw/luarocks");
        if (lifecycleDay is { } day)
        {
            // a lifecycle "day" of this many seconds: an expiry rule of N days acts after about N of them
            text.AppendLine($"rgw lc debug interval = {N((long)Math.Max(1, day.TotalSeconds))}");
        }

        var path = Path.Combine(folder, "ceph.conf");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
