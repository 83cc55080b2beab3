# rsagent %preun: stop the agent before its binary goes away ($1 = 0: erase,
# not upgrade).
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
	systemctl stop rsagent.service >/dev/null 2>&1 || :
fi
