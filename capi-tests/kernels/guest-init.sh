#!/bin/sh
# /init of the guests that capi-tests/kernels/run-guest.sh boots (busybox sh).
#
# Mounts the usual file systems, loads the modules listed in
# /modules/modules.load, runs /payload/job.sh with /results as its result
# directory, then writes /results as a tar archive to the raw virtio disk
# (/dev/vda, served by qemu with aio=io_uring on the host) and prints its size
# and sha256 on the serial console, so the host can check that what it reads
# back from the disk image is what the guest wrote.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o size=75% tmpfs /tmp
echo 0 > /proc/sys/kernel/printk_ratelimit 2>/dev/null
# Keep kernel messages off the console (the job's lines are parsed there).
echo 1 > /proc/sys/kernel/printk 2>/dev/null

# Loopback up: upstream's network tests (accept, recv, send-zerocopy, ...)
# talk to 127.0.0.1 and ::1; with it down they time out or abort on either
# library.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null || echo "GUEST-ERROR loopback not up"

for m in $(cat /modules/modules.load 2>/dev/null); do
	insmod "/modules/$m.ko" || echo "GUEST-ERROR insmod $m failed"
done
echo "GUEST-BOOT release=$(uname -r) version=$(uname -v | tr ' ' '_') cpus=$(nproc) uptime=$(cut -d' ' -f1 /proc/uptime)"

mkdir -p /results /tmp/work
uname -a > /results/uname.txt
start=$(date +%s)
(cd /tmp/work && sh /payload/job.sh /results)
rc=$?
echo "GUEST-JOB-EXIT $rc seconds=$(( $(date +%s) - start ))"
echo "$rc" > /results/job.exit
dmesg > /results/dmesg.txt 2>/dev/null

i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -b /dev/vda ]; then
	tar -C /results -cf /tmp/results.tar .
	bytes=$(wc -c < /tmp/results.tar)
	sum=$(sha256sum /tmp/results.tar | cut -d' ' -f1)
	if dd if=/tmp/results.tar of=/dev/vda bs=65536 conv=fsync 2>/dev/null; then
		sync
		echo "GUEST-RESULTS bytes=$bytes sha256=$sum"
	else
		echo "GUEST-ERROR writing the results to /dev/vda failed"
	fi
else
	echo "GUEST-ERROR no /dev/vda (virtio_blk not loaded?)"
fi
echo "GUEST-DONE"
poweroff -f
