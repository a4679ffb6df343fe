-- Each service is the only writer of its own database.
CREATE DATABASE crm_customers;
CREATE DATABASE crm_credit;
CREATE DATABASE crm_receivables;
CREATE DATABASE crm_engagement;
