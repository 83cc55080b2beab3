# rsagent %post. /var/lib/rsagent is the package's own directory (0750, in
# %files), so rpm makes it and keeps what is in it.
#
# %systemd_post rsagent.service, expanded as RHEL 9's systemd (252) defines
# it in macros.systemd: the rpmbuild on Debian that makes this package has no
# systemd macros. install-system-units applies the presets (RHEL: disabled
# unless a preset says otherwise), so install does not enable the unit.
if [ $1 -eq 1 ] && [ -x "/usr/lib/systemd/systemd-update-helper" ]; then
    # Initial installation
    /usr/lib/systemd/systemd-update-helper install-system-units rsagent.service || :
fi
