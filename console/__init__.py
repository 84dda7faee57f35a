"""The admin console at /console/ (docs/console.md): a react-admin single-page app
built from the sources in this folder into static/console/, served to signed-in
people by one view."""
