"""The staff statistics dashboard: monthly figures of applications, publications and the
mailbox for the organs a member of staff covers, drawn with Apache ECharts."""
