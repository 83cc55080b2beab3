# rsagent %postun: RPM has no purge, so on erase ($1 = 0) the state directory
# goes only when empty: a drain flag an operator set is not lost silently.
if [ "$1" -eq 0 ]; then
	rmdir /var/lib/rsagent 2>/dev/null || :
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || :
fi
