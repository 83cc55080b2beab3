# rsagent %post: the state directory (drain/maintenance flags), root-only like
# the control socket; an existing one is kept as it is.
if [ ! -d /var/lib/rsagent ]; then
	mkdir -m 0750 /var/lib/rsagent
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || :
	# $1 > 1: an upgrade; restart a running agent so the new binary serves.
	if [ "$1" -gt 1 ]; then
		systemctl try-restart rsagent.service >/dev/null 2>&1 || :
	fi
fi
