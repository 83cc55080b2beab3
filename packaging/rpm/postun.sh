# rsagent %postun: %systemd_postun_with_restart rsagent.service, expanded as
# RHEL 9's systemd (252) defines it (see post.sh): after an upgrade a running
# agent is marked for restart; systemd's own file trigger reloads the units
# and restarts the marked ones at the end of the transaction. On erase rpm
# removes /var/lib/rsagent only when empty: RPM has no purge, and a drain
# flag an operator set is not lost silently.
if [ $1 -ge 1 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then
    # Package upgrade, not uninstall
    /usr/lib/systemd/systemd-update-helper mark-restart-system-units rsagent.service || :
fi
