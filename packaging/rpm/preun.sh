# rsagent %preun: %systemd_preun rsagent.service, expanded as RHEL 9's
# systemd (252) defines it (see post.sh): on erase, not upgrade, disable and
# stop the unit before its binary goes away.
if [ $1 -eq 0 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then
    # Package removal, not upgrade
    /usr/lib/systemd/systemd-update-helper remove-system-units rsagent.service || :
fi
